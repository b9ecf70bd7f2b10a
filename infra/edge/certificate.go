package edge

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// newCertificate requests the site's certificate for every host (the first
// is its Common Name), validated through DNS records in the hosted zone,
// and returns its ARN once ACM has issued it: the HTTPS listener uses it
// only then. It comes from the same (default) provider as the load
// balancer, so it is in the load balancer's region.
func newCertificate(ctx *pulumi.Context, name string, hosts []string, zoneID pulumi.StringInput, parent pulumi.ResourceOption) (pulumi.StringOutput, error) {
	cert, err := acm.NewCertificate(ctx, name+"-cert", &acm.CertificateArgs{
		DomainName:              pulumi.String(hosts[0]),
		SubjectAlternativeNames: pulumi.ToStringArray(hosts[1:]),
		ValidationMethod:        pulumi.String("DNS"),
	}, parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	// Records are named by host, so adding, removing or reordering hosts
	// never renames (and so replaces) another host's record. Earlier
	// versions named them by position; the alias carries that state over.
	var fqdns pulumi.StringArray
	for i, host := range hosts {
		rec, err := newValidationRecord(ctx, name, host, zoneID, cert, parent, formerly(fmt.Sprintf("%s-cert-validation-%d", name, i)))
		if err != nil {
			return pulumi.StringOutput{}, err
		}
		fqdns = append(fqdns, rec.Fqdn)
	}
	validation, err := acm.NewCertificateValidation(ctx, name+"-cert-validation", &acm.CertificateValidationArgs{
		CertificateArn:        cert.Arn,
		ValidationRecordFqdns: fqdns,
	}, parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return validation.CertificateArn, nil
}

// newValidationRecord is the DNS record that proves to ACM that the
// certificate's owner controls host, named by host.
func newValidationRecord(ctx *pulumi.Context, name, host string, zoneID pulumi.StringInput, cert *acm.Certificate, opts ...pulumi.ResourceOption) (*route53.Record, error) {
	opt := validationOptionFor(cert.DomainValidationOptions, host)
	return route53.NewRecord(ctx, name+"-cert-validation-"+host, &route53.RecordArgs{
		ZoneId:         zoneID,
		Name:           opt.ResourceRecordName().Elem(),
		Type:           opt.ResourceRecordType().Elem(),
		Records:        pulumi.StringArray{opt.ResourceRecordValue().Elem()},
		Ttl:            pulumi.Int(60),
		AllowOverwrite: pulumi.Bool(true), // ACM reuses the record for the same name; a re-issued certificate must not fail on it
	}, opts...)
}

// validationOptionFor picks the certificate's DNS validation record for one
// host. ACM returns the records as a set, in no promised order, so they are
// matched by domain name rather than by position.
func validationOptionFor(opts acm.CertificateDomainValidationOptionArrayOutput, host string) acm.CertificateDomainValidationOptionOutput {
	return opts.ApplyT(func(all []acm.CertificateDomainValidationOption) (acm.CertificateDomainValidationOption, error) {
		for _, o := range all {
			if o.DomainName != nil && strings.EqualFold(*o.DomainName, host) {
				return o, nil
			}
		}
		return acm.CertificateDomainValidationOption{}, fmt.Errorf("the certificate has no DNS validation record for %s", host)
	}).(acm.CertificateDomainValidationOptionOutput)
}
