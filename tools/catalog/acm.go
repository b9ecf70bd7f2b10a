package catalog

import (
	"sort"

	"github.com/example/alb-cognito-fargate/infra/awsfacts"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

// Certificate is an ACM certificate, validated through DNS.
var Certificate = register(Type{
	Token:     "aws:acm/certificate:Certificate",
	Terraform: "aws_acm_certificate",
	Deploy: Deploy{
		Actions: []string{"acm:AddTagsToCertificate", "acm:DeleteCertificate", "acm:DescribeCertificate", "acm:ListTagsForCertificate", "acm:RemoveTagsFromCertificate", "acm:RequestCertificate"},
	},
	Update: Update{
		ReplaceOn: []string{"domainName", "subjectAlternativeNames", "validationMethod", "keyAlgorithm", "certificateAuthorityArn", "validationOptions"},
		Sets:      []string{"subjectAlternativeNames"},
	},
	Mock: func(m *Mock) {
		m.ID = m.ArnPrefix("acm") + "certificate/" + uuidOf(m.URN)
		m.Set("arn", m.ID)
		m.Set("status", "PENDING_VALIDATION")
		m.Set("domainValidationOptions", validationOptions(m.Inputs))
	},
	Cost: Cost{Free: "public ACM certificates cost nothing"},
	Checks: []Check{{
		Source: "ACM RequestCertificate: the first name is the Common Name, at most 64 characters",
		Check: func(r snapshot.Resource) []Finding {
			if d, _ := r.Inputs["domainName"].(string); len(d) > awsfacts.MaxCommonNameLength {
				return finding("domainName", "ACM rejects a certificate whose first name (its Common Name) is longer than %d characters: %q has %d", awsfacts.MaxCommonNameLength, d, len(d))
			}
			return nil
		},
	}},
})

// CertificateValidation waits for ACM to issue a certificate.
var CertificateValidation = register(Type{
	Token:     "aws:acm/certificateValidation:CertificateValidation",
	Terraform: "aws_acm_certificate_validation",
	Deploy: Deploy{
		Actions: []string{"acm:DescribeCertificate"},
	},
	Update: Update{
		ReplaceOn: []string{"certificateArn", "validationRecordFqdns"},
		Sets:      []string{"validationRecordFqdns"},
	},
	Mock: func(m *Mock) { m.ID = "2026-01-01 00:00:00 +0000 UTC" },
	Cost: Cost{Free: "a wait for ACM, no AWS resource"},
})

// validationOptions returns one DNS validation record per certificate name,
// sorted by name the way ACM returns a set, not in request order.
func validationOptions(inputs map[string]any) []any {
	first, _ := inputs["domainName"].(string)
	names := append([]string{first}, strs(inputs["subjectAlternativeNames"])...)
	sort.Strings(names)
	opts := make([]any, 0, len(names))
	for _, n := range names {
		opts = append(opts, map[string]any{
			"domainName":          n,
			"resourceRecordName":  "_" + HexOf("name/"+n, 32) + "." + n + ".",
			"resourceRecordType":  "CNAME",
			"resourceRecordValue": "_" + HexOf("value/"+n, 32) + "." + HexOf("v2/"+n, 10) + ".acm-validations.aws.",
		})
	}
	return opts
}
