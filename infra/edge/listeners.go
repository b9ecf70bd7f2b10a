package edge

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// SslPolicy is TLS 1.3 with TLS 1.2 fallback (Security Hub ELB.17/18).
const SslPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"

// newListeners creates the HTTPS listener, which answers 404 to any request
// no rule matches (another host name, say), and the HTTP listener, which
// only redirects to HTTPS (Security Hub ELB.1). It returns the HTTPS one,
// where the rules go.
func newListeners(ctx *pulumi.Context, name string, alb *lb.LoadBalancer, certificateArn pulumi.StringInput, parent pulumi.ResourceOption) (*lb.Listener, error) {
	https, err := lb.NewListener(ctx, name+"-https", &lb.ListenerArgs{
		LoadBalancerArn: alb.Arn,
		Port:            pulumi.Int(443),
		Protocol:        pulumi.String("HTTPS"),
		SslPolicy:       pulumi.String(SslPolicy),
		CertificateArn:  certificateArn,
		DefaultActions: lb.ListenerDefaultActionArray{
			&lb.ListenerDefaultActionArgs{
				Type: pulumi.String("fixed-response"),
				FixedResponse: &lb.ListenerDefaultActionFixedResponseArgs{
					ContentType: pulumi.String("text/plain"),
					MessageBody: pulumi.String("Not found"),
					StatusCode:  pulumi.String("404"),
				},
			},
		},
	}, parent)
	if err != nil {
		return nil, err
	}
	_, err = lb.NewListener(ctx, name+"-http", &lb.ListenerArgs{
		LoadBalancerArn: alb.Arn,
		Port:            pulumi.Int(80),
		Protocol:        pulumi.String("HTTP"),
		DefaultActions: lb.ListenerDefaultActionArray{
			&lb.ListenerDefaultActionArgs{
				Type: pulumi.String("redirect"),
				Redirect: &lb.ListenerDefaultActionRedirectArgs{
					Protocol:   pulumi.String("HTTPS"),
					Port:       pulumi.String("443"),
					StatusCode: pulumi.String("HTTP_301"),
				},
			},
		},
	}, parent)
	return https, err
}
