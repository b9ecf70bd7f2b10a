package providercheck

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// Environment variables that locate the tools.
const (
	// EnvTerraform names the terraform binary (default: terraform on PATH).
	EnvTerraform = "TFCHECK_TERRAFORM"
	// EnvMirror names a filesystem mirror holding hashicorp/aws 5.100.0
	// (the folder above registry.terraform.io).
	EnvMirror = "TFCHECK_PROVIDER_MIRROR"
)

// DefaultMirrors are searched when EnvMirror is not set: the machine image's
// mirror, then the user's plugin folder.
var DefaultMirrors = []string{"/opt/tf-plugins", "~/.terraform.d/plugins", "~/.terraform.d/mirror"}

// ErrMissing is returned (wrapped, with how to install) when Terraform or
// the provider cannot be found.
var ErrMissing = errors.New("terraform or the hashicorp/aws provider is not installed")

// Install tells how to get what the check needs.
const Install = `the provider check needs Terraform (1.5 or later; CI uses 1.11) and the hashicorp/aws ` + ProviderVersion + ` provider in a filesystem mirror:
  1. install Terraform: https://developer.hashicorp.com/terraform/install (or set ` + EnvTerraform + ` to its path)
  2. mirror the provider once: .ci/tf-mirror ~/.terraform.d/mirror   (or set ` + EnvMirror + ` to an existing mirror)`

// Tools are the Terraform binary and the provider mirror the check runs.
type Tools struct {
	Terraform string
	Mirror    string
}

// Locate finds Terraform and a mirror holding the provider.
func Locate() (Tools, error) {
	tf := os.Getenv(EnvTerraform)
	if tf == "" {
		p, err := exec.LookPath("terraform")
		if err != nil {
			return Tools{}, fmt.Errorf("%w: no terraform on PATH\n%s", ErrMissing, Install)
		}
		tf = p
	}
	candidates := DefaultMirrors
	if m := os.Getenv(EnvMirror); m != "" {
		candidates = []string{m}
	}
	for _, m := range candidates {
		if strings.HasPrefix(m, "~/") {
			home, err := os.UserHomeDir()
			if err != nil {
				continue
			}
			m = filepath.Join(home, m[2:])
		}
		if hasProvider(m) {
			return Tools{Terraform: tf, Mirror: m}, nil
		}
	}
	return Tools{}, fmt.Errorf("%w: no mirror of hashicorp/aws %s in %s\n%s", ErrMissing, ProviderVersion, strings.Join(candidates, ", "), Install)
}

// hasProvider reports whether a mirror holds the provider, unpacked or packed.
func hasProvider(mirror string) bool {
	dir := filepath.Join(mirror, "registry.terraform.io", "hashicorp", "aws")
	platform := runtime.GOOS + "_" + runtime.GOARCH
	unpacked, _ := filepath.Glob(filepath.Join(dir, ProviderVersion, platform, "terraform-provider-aws_v"+ProviderVersion+"*"))
	packed, _ := filepath.Glob(filepath.Join(dir, "terraform-provider-aws_"+ProviderVersion+"_"+platform+".zip"))
	return len(unpacked)+len(packed) > 0
}

// Workspace is a directory where Terraform runs against the mirror.
type Workspace struct {
	tools  Tools
	dir    string
	inited bool
}

// NewWorkspace prepares dir (which should be empty) for terraform init,
// which runs when Terraform is first needed.
func (t Tools) NewWorkspace(ctx context.Context, dir string) (*Workspace, error) {
	w := &Workspace{tools: t, dir: dir}
	rc := fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path    = %q\n    include = [%q]\n  }\n}\n", t.Mirror, ProviderSource)
	if err := os.WriteFile(filepath.Join(dir, "terraformrc"), []byte(rc), 0o644); err != nil {
		return nil, err
	}
	return w, nil
}

// init runs terraform init once, with a configuration that requires the
// provider and holds nothing else.
func (w *Workspace) init(ctx context.Context) error {
	if w.inited {
		return nil
	}
	root := obj("terraform", obj("required_providers", obj("aws", obj("source", "hashicorp/aws", "version", ProviderVersion))))
	wr := newWriter()
	wr.write(root, 0)
	if err := w.writeConfig(wr.buf.Bytes()); err != nil {
		return err
	}
	if _, err := w.run(ctx, "init", "-input=false", "-no-color", "-backend=false"); err != nil {
		return err
	}
	w.inited = true
	return nil
}

// Schema reads the provider's resource schemas. Reading them costs Terraform
// about 3 seconds, so they are cached in the user's cache directory, keyed
// by the provider binary (path, size, modification time).
func (w *Workspace) Schema(ctx context.Context) (*Schema, error) {
	cache := w.tools.schemaCache()
	if cache != "" {
		if b, err := os.ReadFile(cache); err == nil {
			if s, err := ParseSchema(b); err == nil {
				return s, nil
			}
		}
	}
	if err := w.init(ctx); err != nil {
		return nil, err
	}
	out, err := w.run(ctx, "providers", "schema", "-json")
	if err != nil {
		return nil, err
	}
	s, err := ParseSchema(out)
	if err != nil {
		return nil, err
	}
	writeCache(cache, out)
	return s, nil
}

// schemaCache is where the schema of this provider binary is cached, or "".
func (t Tools) schemaCache() string {
	id := t.providerID()
	if id == "" {
		return ""
	}
	return cachePath("tf-schema-" + ProviderVersion + "-" + hashOf(id)[:16] + ".json")
}

// resultCache is where the problems Terraform found in a configuration are
// cached, keyed by what decides them: the command, the configuration's
// text, and the Terraform and provider binaries; or "".
func (t Tools) resultCache(command string, config []byte) string {
	id := t.providerID()
	tf, err := os.Stat(t.Terraform)
	if id == "" || err != nil {
		return ""
	}
	key := fmt.Sprintf("%s|%s|%d|%d|%s|", command, t.Terraform, tf.Size(), tf.ModTime().UnixNano(), id)
	return cachePath("tf-" + command + "-" + hashOf(key + string(config))[:32] + ".json")
}

// providerID names the provider binary by path, size and modification time.
func (t Tools) providerID() string {
	platform := runtime.GOOS + "_" + runtime.GOARCH
	files, _ := filepath.Glob(filepath.Join(t.Mirror, "registry.terraform.io", "hashicorp", "aws", "*", platform, "terraform-provider-aws_v"+ProviderVersion+"*"))
	files2, _ := filepath.Glob(filepath.Join(t.Mirror, "registry.terraform.io", "hashicorp", "aws", "terraform-provider-aws_"+ProviderVersion+"_"+platform+".zip"))
	files = append(files, files2...)
	if len(files) == 0 {
		return ""
	}
	fi, err := os.Stat(files[0])
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%s|%d|%d", files[0], fi.Size(), fi.ModTime().UnixNano())
}

func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// cachePath is a file in the user's cache directory, or "" without one.
func cachePath(name string) string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "alb-cognito-fargate", name)
}

// writeCache writes a cache file whole (a rename), or not at all.
func writeCache(path string, b []byte) {
	if path == "" || os.MkdirAll(filepath.Dir(path), 0o755) != nil {
		return
	}
	tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
	if os.WriteFile(tmp, b, 0o644) == nil {
		_ = os.Rename(tmp, path)
	}
}

// cached runs a Terraform check of cfg, or returns what the same check of
// the same configuration found before: the answer depends only on the
// configuration and the two binaries, and Terraform takes seconds.
func (w *Workspace) cached(ctx context.Context, command string, cfg *Config, check func() ([]Problem, error)) ([]Problem, error) {
	path := w.tools.resultCache(command, cfg.JSON)
	if path != "" {
		if b, err := os.ReadFile(path); err == nil {
			var problems []Problem
			if json.Unmarshal(b, &problems) == nil {
				return problems, nil
			}
		}
	}
	if err := w.init(ctx); err != nil {
		return nil, err
	}
	problems, err := check()
	if err != nil {
		return nil, err
	}
	if b, err := json.Marshal(problems); err == nil {
		writeCache(path, b)
	}
	return problems, nil
}

func (w *Workspace) writeConfig(b []byte) error {
	return os.WriteFile(filepath.Join(w.dir, "main.tf.json"), b, 0o644)
}

// run runs terraform with an environment that cannot reach an account: fake
// credentials come from the configuration, every AWS_ variable of the
// caller is dropped, and Terraform's version check is off.
func (w *Workspace) run(ctx context.Context, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, w.tools.Terraform, args...)
	cmd.Dir = w.dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") && !strings.HasPrefix(kv, "TF_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env,
		"TF_CLI_CONFIG_FILE="+filepath.Join(w.dir, "terraformrc"),
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		"AWS_EC2_METADATA_DISABLED=true",
	)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil && !isJSONRun(args) {
		return nil, fmt.Errorf("terraform %s: %v\n%s%s", strings.Join(args, " "), err, stderr.String(), stdout.String())
	}
	return stdout.Bytes(), err
}

func isJSONRun(args []string) bool {
	for _, a := range args {
		if a == "-json" && args[0] != "providers" {
			return true
		}
	}
	return false
}

// Validate writes cfg and runs terraform validate: the provider's checks of
// each resource's arguments on their own (types, enums, ranges, patterns,
// conflicts, required arguments, policy and container definition JSON).
func (w *Workspace) Validate(ctx context.Context, cfg *Config) ([]Problem, error) {
	return w.cached(ctx, "validate", cfg, func() ([]Problem, error) { return w.validate(ctx, cfg) })
}

func (w *Workspace) validate(ctx context.Context, cfg *Config) ([]Problem, error) {
	if err := w.writeConfig(cfg.JSON); err != nil {
		return nil, err
	}
	out, runErr := w.run(ctx, "validate", "-json", "-no-color")
	var v struct {
		Valid       bool         `json:"valid"`
		Diagnostics []diagnostic `json:"diagnostics"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		return nil, fmt.Errorf("terraform validate: %v (%v)\n%s", err, runErr, out)
	}
	problems := cfg.problems(v.Diagnostics)
	if !v.Valid && len(problems) == 0 {
		return nil, fmt.Errorf("terraform validate failed without diagnostics: %s", out)
	}
	return problems, nil
}

// Plan writes cfg and runs an offline terraform plan (no refresh, fake
// credentials). Terraform validates the configuration before it plans, so
// Plan reports everything Validate does, and then what only planning finds:
// the provider's plan-time checks (CustomizeDiff) of every resource.
//
// Both are cached (cached): the same configuration checked by the same
// binaries gets the same answer without running Terraform again.
func (w *Workspace) Plan(ctx context.Context, cfg *Config) ([]Problem, error) {
	return w.cached(ctx, "plan", cfg, func() ([]Problem, error) { return w.plan(ctx, cfg) })
}

func (w *Workspace) plan(ctx context.Context, cfg *Config) ([]Problem, error) {
	if err := w.writeConfig(cfg.JSON); err != nil {
		return nil, err
	}
	out, runErr := w.run(ctx, "plan", "-refresh=false", "-input=false", "-lock=false", "-no-color", "-json")
	var diags []diagnostic
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var msg struct {
			Type       string      `json:"type"`
			Diagnostic *diagnostic `json:"diagnostic"`
		}
		if json.Unmarshal(sc.Bytes(), &msg) == nil && msg.Type == "diagnostic" && msg.Diagnostic != nil {
			diags = append(diags, *msg.Diagnostic)
		}
	}
	problems := cfg.problems(diags)
	if runErr != nil && len(problems) == 0 {
		return nil, fmt.Errorf("terraform plan failed without diagnostics: %v\n%s", runErr, out)
	}
	return problems, nil
}

// problems turns diagnostics into problems. Warnings count: a deprecated
// argument is one the next provider release may remove.
func (c *Config) problems(diags []diagnostic) []Problem {
	var out []Problem
	for _, d := range diags {
		if d.Severity != "error" && d.Severity != "warning" {
			continue
		}
		p := c.problemFor(d)
		if d.Severity == "warning" {
			p.Message = "warning: " + p.Message
		}
		out = append(out, p)
	}
	return out
}
