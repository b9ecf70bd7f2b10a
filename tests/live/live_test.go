//go:build live

package live

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
)

// Environment the live test needs. AWS credentials and the Pulumi backend
// come from the usual variables (AWS_*, PULUMI_BACKEND_URL or
// PULUMI_ACCESS_TOKEN, PULUMI_CONFIG_PASSPHRASE for self-managed backends).
const (
	envRegion = "LIVE_AWS_REGION"  // e.g. eu-west-1
	envZone   = "LIVE_HOSTED_ZONE" // a public Route 53 zone in the sandbox account, e.g. sandbox.example.com
)

// publicPath is served without sign-in by the default image (nginx).
const publicPath = "/index.html"

// TestLive deploys an ephemeral stack with a unique name in a sandbox
// account, checks over real HTTPS that sign-in is enforced and the edge
// behaves, and always destroys it and removes the stack.
func TestLive(t *testing.T) {
	region, zone := os.Getenv(envRegion), os.Getenv(envZone)
	if region == "" || zone == "" {
		t.Skipf("set %s and %s (and AWS credentials and a Pulumi backend) to run the live test", envRegion, envZone)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 85*time.Minute)
	defer cancel()

	suffix := make([]byte, 3)
	if _, err := rand.Read(suffix); err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("live%s%s", time.Now().UTC().Format("0102150405"), hex.EncodeToString(suffix))
	host := name + "." + zone
	projectDir, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}

	stack, err := auto.NewStackLocalSource(ctx, name, projectDir)
	if err != nil {
		t.Fatalf("create stack %s: %v", name, err)
	}
	// Whatever happens from here on, the stack is destroyed and removed.
	t.Cleanup(func() {
		cleanup, done := context.WithTimeout(context.Background(), 45*time.Minute)
		defer done()
		if _, err := stack.Destroy(cleanup, optdestroy.Remove(), optdestroy.ProgressStreams(logWriter{t})); err != nil {
			t.Errorf("destroy %s (remove it by hand: pulumi destroy -s %s && pulumi stack rm -s %s): %v", name, name, name, err)
		}
		_ = os.Remove(filepath.Join(projectDir, "Pulumi."+name+".yaml"))
	})

	cfg := auto.ConfigMap{
		"aws:region":                            {Value: region},
		"alb-cognito-fargate:domainName":        {Value: host},
		"alb-cognito-fargate:hostedZoneName":    {Value: zone},
		"alb-cognito-fargate:desiredCount":      {Value: "1"},
		"alb-cognito-fargate:logRetentionDays":  {Value: "1"},
		"alb-cognito-fargate:publicPaths":       {Value: `["` + publicPath + `"]`},
		"alb-cognito-fargate:availabilityZones": {Value: "2"},
	}
	if err := stack.SetAllConfig(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	up, err := stack.Up(ctx, optup.ProgressStreams(logWriter{t}))
	if err != nil {
		t.Fatalf("pulumi up: %v", err)
	}
	out := func(k string) string {
		v, ok := up.Outputs[k]
		if !ok {
			t.Fatalf("no stack output %s", k)
		}
		return fmt.Sprint(v.Value)
	}
	clientID, cognito, albDNS := out("userPoolClientId"), out("cognitoDomain"), out("albDnsName")

	noRedirects := &http.Client{
		Timeout:       20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	// DNS for the new name and the certificate take a few minutes to be
	// everywhere; retry until then.
	get := func(u string, client *http.Client) *http.Response {
		t.Helper()
		var last error
		for deadline := time.Now().Add(15 * time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Second) {
			resp, err := client.Get(u)
			if err == nil {
				_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
				resp.Body.Close()
				return resp
			}
			last = err
		}
		t.Fatalf("GET %s: %v", u, last)
		return nil
	}

	t.Run("the site sends visitors to the Cognito sign-in page", func(t *testing.T) {
		resp := get("https://"+host+"/", noRedirects)
		if resp.StatusCode != http.StatusFound {
			t.Fatalf("GET / without a session: %s, want 302 to sign-in", resp.Status)
		}
		loc, err := url.Parse(resp.Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		if got := loc.Scheme + "://" + loc.Host + loc.Path; got != cognito+"/oauth2/authorize" {
			t.Errorf("redirects to %s, want %s/oauth2/authorize", got, cognito)
		}
		q := loc.Query()
		if q.Get("client_id") != clientID || q.Get("redirect_uri") != "https://"+host+"/oauth2/idpresponse" || q.Get("response_type") != "code" {
			t.Errorf("authorize request %v: want client_id %s, redirect_uri https://%s/oauth2/idpresponse, response_type code", q, clientID, host)
		}
		if !strings.Contains(q.Get("scope"), "openid") {
			t.Errorf("scope %q lacks openid", q.Get("scope"))
		}
	})
	t.Run("a public path answers without a session", func(t *testing.T) {
		if resp := get("https://"+host+publicPath, noRedirects); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %s, want 200", publicPath, resp.Status)
		}
	})
	t.Run("an unknown host gets 404", func(t *testing.T) {
		// The load balancer's own name is not a configured host (and its
		// certificate does not cover it).
		insecure := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
		if resp := get("https://"+albDNS+"/", insecure); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET https://%s/: %s, want 404", albDNS, resp.Status)
		}
	})
	t.Run("port 80 redirects to 443", func(t *testing.T) {
		resp := get("http://"+host+"/some/path?x=1", noRedirects)
		if resp.StatusCode != http.StatusMovedPermanently || !strings.HasPrefix(resp.Header.Get("Location"), "https://"+host+":443/some/path") {
			t.Errorf("GET http://%s/: %s to %q, want 301 to https://%s:443/some/path", host, resp.Status, resp.Header.Get("Location"), host)
		}
	})
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Error("the live test ran out of time")
	}
}

// logWriter sends Pulumi's progress to the test log.
type logWriter struct{ t *testing.T }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
