package tests

import (
	"errors"
	"slices"

	"strings"
	"testing"

	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/example/alb-cognito-fargate/tools/replay"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

// fourHosts is the day-2 table's starting point: a site with four host
// names, so that hosts can be added, removed and reordered.
var fourHosts = map[string]string{"alternateDomainNames": `["www.app.example.com","api.example.com","admin.example.com"]`}

// day2Edit is one configuration edit a user makes months later, and what
// `pulumi up` must do with it.
type day2Edit struct {
	name          string
	before, after map[string]string // each on top of fourHosts
	// replaced are the resources the update replaces ("<module>/<type>
	// <name>"); deleteFirst those of them replaced delete-before-create.
	replaced, deleteFirst []string
	// created and deleted are the resources the update adds and removes,
	// by name ("<module>/<type> <name>").
	created, deleted []string
	// refused: the update is refused; the failure (or the configuration
	// error, refusedKey) says this, and what to do.
	refused, refusedKey string
	// secret are keys set with --secret (on both sides).
	secret []string
	// unchanged: the edit changes no resource, on purpose.
	unchanged bool
}

const (
	okta     = `{"name":"Okta","type":"saml","metadataUrl":"https://example.okta.com/app/exk1/sso/saml/metadata","attributeMapping":{"email":"email"}}`
	oktaOidc = `{"name":"Okta","type":"oidc","issuer":"https://example.okta.com","clientId":"0oa1","clientSecret":"s3cret"}`
	google   = `{"name":"Google","type":"google","clientId":"1234.apps.googleusercontent.com","clientSecret":"g-s3cret","allowedEmailDomains":["corp.example.org"]}`
	google2  = `{"name":"Google","type":"google","clientId":"1234.apps.googleusercontent.com","clientSecret":"g-s3cret","allowedEmailDomains":["corp.example.org","example.net"]}`
	oktaOnly = `{"name":"Okta","type":"saml","metadataUrl":"https://example.okta.com/app/exk1/sso/saml/metadata","attributeMapping":{"email":"email"},"allowedEmailDomains":["example.com"]}`
	entra    = `{"name":"EntraID","type":"saml","metadataUrl":"https://login.microsoftonline.com/t/federationmetadata.xml","attributeMapping":{"email":"email"}}`
)

var cert = []string{"acm/certificate edge-cert", "acm/certificateValidation edge-cert-validation"}

var day2Edits = []day2Edit{
	{name: "add a host", after: map[string]string{"alternateDomainNames": `["www.app.example.com","api.example.com","admin.example.com","new.example.com"]`},
		replaced: cert, created: []string{"route53/record edge-cert-validation-new.example.com", "route53/record edge-dns-new.example.com"}},
	{name: "remove the first alternate host", after: map[string]string{"alternateDomainNames": `["api.example.com","admin.example.com"]`},
		replaced: cert, deleted: []string{"lb/listenerRule edge-auth-1", "lb/listenerRule edge-public-1", "route53/record edge-cert-validation-www.app.example.com", "route53/record edge-dns-www.app.example.com"}},
	{name: "remove the first host (the next one becomes domainName)", after: map[string]string{"domainName": "www.app.example.com", "alternateDomainNames": `["api.example.com","admin.example.com"]`},
		replaced:    append(slices.Clone(cert), "cognito/userPoolDomain identity-domain", "ecs/taskDefinition app-task"),
		deleteFirst: []string{"cognito/userPoolDomain identity-domain"}, deleted: []string{"lb/listenerRule edge-auth-1", "lb/listenerRule edge-public-1", "route53/record edge-cert-validation-app.example.com", "route53/record edge-dns-app.example.com"}},
	{name: "remove a middle host", after: map[string]string{"alternateDomainNames": `["www.app.example.com","admin.example.com"]`},
		replaced: cert, deleted: []string{"lb/listenerRule edge-auth-1", "lb/listenerRule edge-public-1", "route53/record edge-cert-validation-api.example.com", "route53/record edge-dns-api.example.com"}},
	{name: "reorder hosts", after: map[string]string{"alternateDomainNames": `["admin.example.com","api.example.com","www.app.example.com"]`}},
	{name: "change domainName", after: map[string]string{"domainName": "portal.example.com"},
		replaced:    append(slices.Clone(cert), "cognito/userPoolDomain identity-domain", "ecs/taskDefinition app-task"),
		deleteFirst: []string{"cognito/userPoolDomain identity-domain"}, created: []string{"route53/record edge-cert-validation-portal.example.com", "route53/record edge-dns-portal.example.com"}, deleted: []string{"route53/record edge-cert-validation-app.example.com", "route53/record edge-dns-app.example.com"}},
	{name: "set cognitoDomainPrefix", after: map[string]string{"cognitoDomainPrefix": "acme-login"},
		replaced:    []string{"cognito/userPoolDomain identity-domain", "ecs/taskDefinition app-task"},
		deleteFirst: []string{"cognito/userPoolDomain identity-domain"}},
	{name: "unset cognitoDomainPrefix", before: map[string]string{"cognitoDomainPrefix": "acme-login"},
		replaced:    []string{"cognito/userPoolDomain identity-domain", "ecs/taskDefinition app-task"},
		deleteFirst: []string{"cognito/userPoolDomain identity-domain"}},
	{name: "availabilityZones 2 -> 3", after: map[string]string{"availabilityZones": "3"},
		created: []string{"ec2/route network-vpc-private-3", "ec2/route network-vpc-public-3", "ec2/routeTable network-vpc-private-3", "ec2/routeTable network-vpc-public-3", "ec2/routeTableAssociation network-vpc-private-3", "ec2/routeTableAssociation network-vpc-public-3", "ec2/subnet network-vpc-private-3", "ec2/subnet network-vpc-public-3"}},
	{name: "availabilityZones 3 -> 2", before: map[string]string{"availabilityZones": "3"},
		deleted: []string{"ec2/route network-vpc-private-3", "ec2/route network-vpc-public-3", "ec2/routeTable network-vpc-private-3", "ec2/routeTable network-vpc-public-3", "ec2/routeTableAssociation network-vpc-private-3", "ec2/routeTableAssociation network-vpc-public-3", "ec2/subnet network-vpc-private-3", "ec2/subnet network-vpc-public-3"}},
	{name: "availabilityZones 3 -> 2 with a NAT gateway per zone", before: map[string]string{"availabilityZones": "3", "natGateways": "perAz"}, after: map[string]string{"natGateways": "perAz"},
		deleted: []string{"ec2/eip network-vpc-3", "ec2/natGateway network-vpc-3", "ec2/route network-vpc-private-3", "ec2/route network-vpc-public-3", "ec2/routeTable network-vpc-private-3", "ec2/routeTable network-vpc-public-3", "ec2/routeTableAssociation network-vpc-private-3", "ec2/routeTableAssociation network-vpc-public-3", "ec2/subnet network-vpc-private-3", "ec2/subnet network-vpc-public-3"}},
	{name: "availabilityZones 2 -> 3 beyond a deployed stack's address plan", before: map[string]string{"maxAvailabilityZones": "2"}, after: map[string]string{"maxAvailabilityZones": "2", "availabilityZones": "3"},
		refusedKey: "availabilityZones", refused: "cannot change on a deployed stack"},
	{name: "natGateways single -> perAz", after: map[string]string{"natGateways": "perAz"},
		created: []string{"ec2/eip network-vpc-2", "ec2/natGateway network-vpc-2"}},
	{name: "natGateways perAz -> single", before: map[string]string{"natGateways": "perAz"},
		deleted: []string{"ec2/eip network-vpc-2", "ec2/natGateway network-vpc-2"}},
	{name: "containerPort", after: map[string]string{"containerPort": "8080"},
		replaced: []string{"lb/targetGroup edge-tg", "ecs/taskDefinition app-task"}},
	{name: "cpu and memory", after: map[string]string{"cpu": "512", "memory": "2048"},
		replaced: []string{"ecs/taskDefinition app-task"}},
	{name: "add publicPaths", after: map[string]string{"publicPaths": `["/healthz","/static/*","/favicon.ico","/robots.txt"]`},
		created: []string{"lb/listenerRule edge-public-2", "lb/listenerRule edge-public-3"}},
	{name: "remove publicPaths", before: map[string]string{"publicPaths": `["/healthz","/static/*","/favicon.ico","/robots.txt"]`},
		deleted: []string{"lb/listenerRule edge-public-2", "lb/listenerRule edge-public-3"}},
	{name: "builtInApp on", after: map[string]string{"builtInApp": "true"},
		replaced: []string{"lb/targetGroup edge-tg", "ecs/taskDefinition app-task"}, created: []string{"awsx:ecr:Image app-image", "ecr/lifecyclePolicy app-repo", "ecr/repository app-repo"}},
	{name: "builtInApp off", before: map[string]string{"builtInApp": "true"},
		replaced: []string{"lb/targetGroup edge-tg", "ecs/taskDefinition app-task"}, deleted: []string{"awsx:ecr:Image app-image", "ecr/lifecyclePolicy app-repo", "ecr/repository app-repo"}},
	{name: "protect off -> on", after: map[string]string{"protect": "true"}},
	{name: "protect on -> off", before: map[string]string{"protect": "true"}},
	{name: "mfa on -> off", after: map[string]string{"mfa": "off"}},
	{name: "mfa on -> optional (the enrolment scope comes)", after: map[string]string{"mfa": "optional"}},
	{name: "image", after: map[string]string{"image": "registry.example.com/team/app:2"},
		replaced: []string{"ecs/taskDefinition app-task"}},
	{name: "desiredCount, healthCheckPath, sessionTimeoutSeconds, selfSignUp, logRetentionDays", after: map[string]string{
		"desiredCount": "4", "healthCheckPath": "/ready", "sessionTimeoutSeconds": "3600", "selfSignUp": "true", "logRetentionDays": "90"}},
	{name: "add an identity provider", before: map[string]string{"identityProviders": "[" + okta + "]"}, after: map[string]string{"identityProviders": "[" + okta + "," + entra + "]"},
		created: []string{"cognito/identityProvider identity-idp-EntraID"}},
	{name: "remove an identity provider", before: map[string]string{"identityProviders": "[" + okta + "," + entra + "]"}, after: map[string]string{"identityProviders": "[" + entra + "]"},
		deleted: []string{"cognito/identityProvider identity-idp-Okta"}},
	{name: "change an identity provider's type (SAML -> OIDC)", before: map[string]string{"identityProviders": "[" + okta + "]"}, after: map[string]string{"identityProviders": "[" + oktaOidc + "]"},
		secret: []string{"identityProviders"}, replaced: []string{"cognito/identityProvider identity-idp-Okta"}, deleteFirst: []string{"cognito/identityProvider identity-idp-Okta"}},
	{name: "a SAML provider's metadataUrl (Cognito derives its URLs anew)", before: map[string]string{"identityProviders": "[" + okta + "]"},
		after:    map[string]string{"identityProviders": "[" + strings.Replace(okta, "exk1", "exk2", 1) + "]"},
		replaced: []string{"cognito/identityProvider identity-idp-Okta"}, deleteFirst: []string{"cognito/identityProvider identity-idp-Okta"}},
	{name: "an OIDC provider's issuer (Cognito discovers its endpoints anew)", before: map[string]string{"identityProviders": "[" + oktaOidc + "]"},
		after: map[string]string{"identityProviders": "[" + strings.Replace(oktaOidc, "example.okta.com", "login.example.com", 1) + "]"}, secret: []string{"identityProviders"},
		replaced: []string{"cognito/identityProvider identity-idp-Okta"}, deleteFirst: []string{"cognito/identityProvider identity-idp-Okta"}},
	{name: "a SAML provider's signOut (in place)", before: map[string]string{"identityProviders": "[" + okta + "]"},
		after: map[string]string{"identityProviders": "[" + strings.Replace(okta, `"attributeMapping"`, `"signOut":true,"attributeMapping"`, 1) + "]"}},
	{name: "local users off with one provider", before: map[string]string{"identityProviders": "[" + okta + "]"}, after: map[string]string{"identityProviders": "[" + okta + "]", "localUsers": "false"}},
	{name: "add a group", before: map[string]string{"groups": `[{"name":"admins"}]`}, after: map[string]string{"groups": `[{"name":"admins"},{"name":"staff"}]`},
		created: []string{"cognito/userGroup identity-group-staff"}},
	{name: "remove a group", before: map[string]string{"groups": `[{"name":"admins"},{"name":"staff"}]`}, after: map[string]string{"groups": `[{"name":"admins"}]`},
		deleted: []string{"cognito/userGroup identity-group-staff"}},
	{name: "add apiPaths", after: map[string]string{"apiPaths": `["/api/*"]`}, created: []string{"lb/listenerRule edge-api-0", "lb/listenerRule edge-api-1"}},
	{name: "remove apiPaths", before: map[string]string{"apiPaths": `["/api/*"]`}, deleted: []string{"lb/listenerRule edge-api-0", "lb/listenerRule edge-api-1"}},
	{name: "set authDomainName", after: map[string]string{"authDomainName": "auth.app.example.com"},
		replaced: []string{"ecs/taskDefinition app-task"}, created: []string{"acm/certificate edge-auth-cert", "acm/certificateValidation edge-auth-cert-validation", "cognito/userPoolDomain edge-auth-domain", "pulumi:providers:aws edge-us-east-1", "route53/record edge-cert-validation-auth.app.example.com", "route53/record edge-dns-auth.app.example.com"}},
	{name: "unset authDomainName", before: map[string]string{"authDomainName": "auth.app.example.com"},
		replaced: []string{"ecs/taskDefinition app-task"}, deleted: []string{"acm/certificate edge-auth-cert", "acm/certificateValidation edge-auth-cert-validation", "cognito/userPoolDomain edge-auth-domain", "pulumi:providers:aws edge-us-east-1", "route53/record edge-cert-validation-auth.app.example.com", "route53/record edge-dns-auth.app.example.com"}},
	{name: "change authDomainName", before: map[string]string{"authDomainName": "auth.app.example.com"}, after: map[string]string{"authDomainName": "login.app.example.com"},
		replaced:    []string{"acm/certificate edge-auth-cert", "acm/certificateValidation edge-auth-cert-validation", "cognito/userPoolDomain edge-auth-domain", "ecs/taskDefinition app-task"},
		deleteFirst: []string{"cognito/userPoolDomain edge-auth-domain"}, created: []string{"route53/record edge-cert-validation-login.app.example.com", "route53/record edge-dns-login.app.example.com"}, deleted: []string{"route53/record edge-cert-validation-auth.app.example.com", "route53/record edge-dns-auth.app.example.com"}},
	{name: "userPoolTier and threat protection", after: map[string]string{"userPoolTier": "PLUS", "threatProtection": "enforced"}},
	{name: "emailSender", after: map[string]string{"emailSender": "no-reply@example.com"}},
	{name: "emailSenderIdentity", before: map[string]string{"emailSender": "no-reply@example.com"},
		after: map[string]string{"emailSender": "no-reply@example.com", "emailSenderIdentity": "no-reply@example.com"}},
	{name: "authDomainName to a parent outside the stack (authDomainParentRecordExists)", before: map[string]string{"authDomainName": "auth.app.example.com"},
		after:       map[string]string{"authDomainName": "auth.example.com", "authDomainParentRecordExists": "true"},
		replaced:    []string{"acm/certificate edge-auth-cert", "acm/certificateValidation edge-auth-cert-validation", "cognito/userPoolDomain edge-auth-domain", "ecs/taskDefinition app-task"},
		deleteFirst: []string{"cognito/userPoolDomain edge-auth-domain"}, created: []string{"route53/record edge-cert-validation-auth.example.com", "route53/record edge-dns-auth.example.com"}, deleted: []string{"route53/record edge-cert-validation-auth.app.example.com", "route53/record edge-dns-auth.app.example.com"}},
	{name: "mfa optional -> on (the enrolment scope goes)", before: map[string]string{"mfa": "optional"}},
	{name: "autoscaling on", after: map[string]string{"minCount": "2", "maxCount": "8"}, created: []string{"appautoscaling/policy app-scale-on-cpu", "appautoscaling/policy app-scale-on-requests", "appautoscaling/target app-scaling"}},
	{name: "autoscaling off", before: map[string]string{"minCount": "2", "maxCount": "8"}, deleted: []string{"appautoscaling/policy app-scale-on-cpu", "appautoscaling/policy app-scale-on-requests", "appautoscaling/target app-scaling"}},
	{name: "add a secret", after: map[string]string{"secrets": `{"API_KEY":"/app/api-key"}`},
		replaced: []string{"ecs/taskDefinition app-task"}},
	{name: "secretsKmsKey (the execution role's policy only)", before: map[string]string{"secrets": `{"API_KEY":"/app/api-key"}`},
		after: map[string]string{"secrets": `{"API_KEY":"/app/api-key"}`, "secretsKmsKey": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}},
	{name: "access logs off", after: map[string]string{"accessLogs": "false"}, deleted: []string{"s3/bucketLifecycleConfigurationV2 edge-access-logs", "s3/bucketOwnershipControls edge-access-logs", "s3/bucketPolicy edge-access-logs", "s3/bucketPublicAccessBlock edge-access-logs", "s3/bucketServerSideEncryptionConfigurationV2 edge-access-logs", "s3/bucketV2 edge-access-logs", "s3/bucketVersioningV2 edge-access-logs"}},
	{name: "access logs off with protect", before: map[string]string{"protect": "true"}, after: map[string]string{"protect": "true", "accessLogs": "false"},
		refused: "it is protected (protect: true)"},
	{name: "waf off -> count", before: map[string]string{"waf": "off"}, created: []string{"wafv2/webAcl edge-waf", "wafv2/webAclAssociation edge-waf"}},
	{name: "waf count -> block", after: map[string]string{"waf": "block"}},
	{name: "waf count -> off", after: map[string]string{"waf": "off"}, deleted: []string{"wafv2/webAcl edge-waf", "wafv2/webAclAssociation edge-waf"}},
	{name: "wafRateLimit", after: map[string]string{"wafRateLimit": "500"}},
	{name: "wafIpRateLimit", after: map[string]string{"wafIpRateLimit": "50000"}},
	{name: "adminGroup set (the app's ADMIN_GROUP)", before: map[string]string{"groups": `[{"name":"admins"},{"name":"staff"}]`},
		after: map[string]string{"groups": `[{"name":"admins"},{"name":"staff"}]`, "adminGroup": "admins"}, replaced: []string{"ecs/taskDefinition app-task"}},
	{name: "reorder groups (adminGroup stays)", before: map[string]string{"groups": `[{"name":"admins"},{"name":"staff"}]`, "adminGroup": "admins"},
		after: map[string]string{"groups": `[{"name":"staff"},{"name":"admins"}]`, "adminGroup": "admins"}, unchanged: true},
	{name: "emailSender off (back to Cognito's sender)", before: map[string]string{"emailSender": "no-reply@example.com"}},
	{name: "threat protection off", before: map[string]string{"userPoolTier": "PLUS", "threatProtection": "enforced"}, after: map[string]string{"userPoolTier": "PLUS", "threatProtection": "off"}},
	{name: "restrict a provider with an allow-list (the trigger comes)", before: map[string]string{"identityProviders": "[" + okta + "]"}, after: map[string]string{"identityProviders": "[" + oktaOnly + "]"},
		created: []string{"cloudwatch/logGroup identity-presignup-logs", "iam/role identity-presignup", "iam/rolePolicy identity-presignup", "lambda/function identity-presignup", "lambda/permission identity-presignup"}},
	{name: "drop the allow-list (the trigger goes)", before: map[string]string{"identityProviders": "[" + oktaOnly + "]"}, after: map[string]string{"identityProviders": "[" + okta + "]"},
		deleted: []string{"cloudwatch/logGroup identity-presignup-logs", "iam/role identity-presignup", "iam/rolePolicy identity-presignup", "lambda/function identity-presignup", "lambda/permission identity-presignup"}},
	{name: "edit an allow-list", before: map[string]string{"identityProviders": "[" + google + "]"}, after: map[string]string{"identityProviders": "[" + google2 + "]"},
		secret: []string{"identityProviders"}},
	{name: "encryptLogs on", after: map[string]string{"encryptLogs": "true"},
		created: []string{"alb-cognito-fargate:encryption:LogKey logs", "kms/key logs-key"}},
	{name: "encryptLogs off", before: map[string]string{"encryptLogs": "true"},
		deleted: []string{"alb-cognito-fargate:encryption:LogKey logs", "kms/key logs-key"}},
	{name: "encryptLogs off with protect (the key stays)", before: map[string]string{"encryptLogs": "true", "protect": "true"}, after: map[string]string{"protect": "true"},
		refused: "it is protected (protect: true)"},
	{name: "capacity fargate -> spot (the service moves to a strategy)", after: map[string]string{"capacity": "spot"},
		replaced: []string{"ecs/service app-service"}},
	{name: "capacity spot -> mixed", before: map[string]string{"capacity": "spot"}, after: map[string]string{"capacity": "mixed"}},
	{name: "onDemandBase", before: map[string]string{"capacity": "mixed"}, after: map[string]string{"capacity": "mixed", "onDemandBase": "2"}},
	{name: "capacity mixed -> fargate", before: map[string]string{"capacity": "mixed"},
		replaced: []string{"ecs/service app-service"}},
	{name: "capacity spot with autoscaling -> fargate", before: map[string]string{"capacity": "spot", "minCount": "2", "maxCount": "8"}, after: map[string]string{"minCount": "2", "maxCount": "8"},
		replaced: []string{"ecs/service app-service", "appautoscaling/target app-scaling", "appautoscaling/policy app-scale-on-cpu", "appautoscaling/policy app-scale-on-requests"}},
	{name: "exec on", after: map[string]string{"exec": "true"},
		replaced: []string{"ecs/taskDefinition app-task"}, created: []string{"iam/rolePolicy app-exec"}},
	{name: "imageRetention", before: map[string]string{"builtInApp": "true"}, after: map[string]string{"builtInApp": "true", "imageRetention": "20"},
		replaced: []string{"ecr/lifecyclePolicy app-repo"}, deleteFirst: []string{"ecr/lifecyclePolicy app-repo"}},
	{name: "maxAvailabilityZones within the same plan (3 -> 4)", before: map[string]string{"maxAvailabilityZones": "3"}, after: map[string]string{"maxAvailabilityZones": "4"}, unchanged: true},
	{name: "maxAvailabilityZones to another plan (6 -> 2)", after: map[string]string{"maxAvailabilityZones": "2"},
		refused: "Keep vpcCidr and maxAvailabilityZones as deployed"},
	{name: "vpcCidr", after: map[string]string{"vpcCidr": "10.1.0.0/16"},
		refused: "the load balancer cannot move to another VPC"},
	{name: "aws:region", after: map[string]string{"aws:region": "eu-central-1"},
		refused: "the user pool holds every user's account and is never replaced"},
}

// Every edit in the table does what its row says when `pulumi up` applies
// it to a stack deployed with the configuration before: updates in place,
// replaces only the listed resources (delete-first where a name must be
// unique), or is refused with a message that says what to do. The user pool
// is never replaced.
func TestDay2Edits(t *testing.T) {
	for _, e := range day2Edits {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			before := synthesize(t, withConfig(merge(fourHosts, e.before)), e.secret...)
			afterCfg := withConfig(merge(fourHosts, e.after))
			if e.refusedKey != "" {
				_, err := run(t, afterCfg)
				var ce *config.Error
				if !errors.As(err, &ce) || !slices.Contains(ce.Keys(), ns+e.refusedKey) || !strings.Contains(err.Error(), e.refused) {
					t.Fatalf("want the configuration refused on %s saying %q, got %v", e.refusedKey, e.refused, err)
				}
				return
			}
			after := synthesize(t, afterCfg, e.secret...)
			p, err := replay.Up(before, after)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range p.Steps {
				if s.Type == tPool && s.Op != replay.OpSame && s.Op != replay.OpUpdate && !failsWith(p, "UserPool", "never replaced") {
					t.Errorf("the user pool is %s, and the update is not refused", s.Op)
				}
			}
			if e.refused != "" {
				found := false
				for _, f := range p.Failures {
					found = found || strings.Contains(f.Message, e.refused)
				}
				if !found {
					t.Fatalf("want the update refused with %q; failures: %v", e.refused, p.Failures)
				}
				return
			}
			for _, f := range p.Failures {
				t.Errorf("would fail: %s", f.Message)
			}
			var replaced, deleteFirst []string
			for _, s := range p.Replaced() {
				if s.Op == replay.OpDelete {
					continue
				}
				replaced = append(replaced, replay.ShortType(s.Type)+" "+s.Name)
				if s.Op == replay.OpReplaceDeleteFirst {
					deleteFirst = append(deleteFirst, replay.ShortType(s.Type)+" "+s.Name)
				}
			}
			if !equalSets(replaced, e.replaced) {
				t.Errorf("replaced %v, want %v", sorted(replaced), sorted(e.replaced))
			}
			if !equalSets(deleteFirst, e.deleteFirst) {
				t.Errorf("replaced delete-first %v, want %v", deleteFirst, e.deleteFirst)
			}
			// An in-place row must see an update: an edit that changes
			// nothing would pass every other assertion here.
			if len(e.replaced) == 0 && len(e.created) == 0 && len(e.deleted) == 0 && len(p.Names(replay.OpUpdate)) == 0 && !e.unchanged {
				t.Error("the edit changes nothing; if that is intended, mark the row unchanged")
			}
			if got := p.Names(replay.OpCreate); !equalSets(got, e.created) {
				t.Errorf("creates %q, want %q", got, sorted(e.created))
			}
			if got := p.Names(replay.OpDelete); !equalSets(got, e.deleted) {
				t.Errorf("deletes %q, want %q", got, sorted(e.deleted))
			}
		})
	}
}

// The simulator refuses what the engine or AWS would refuse: a new record
// taking a name an old one still holds, a domain created before the old is
// gone, a protected pool replaced. Each is built by hand from a synthesis,
// as an older version of the program would have registered it.
func TestDay2CheckCatchesWhatWouldFail(t *testing.T) {
	base := synthesize(t, withConfig(fourHosts))
	rename := func(res *snapshot.Stack, typ, from, to string) {
		for i, r := range res.Resources {
			if r.Type == typ && r.Name == from {
				res.Resources[i].Name = to
				res.Resources[i].URN = strings.TrimSuffix(r.URN, from) + to
			}
		}
	}
	t.Run("records named by position, host removed", func(t *testing.T) {
		// What earlier versions did: edge-dns-<index>. Removing the second
		// host renames the third host's record from -2 to -1.
		old, new := cloneResult(t, base), cloneResult(t, base)
		rename(old, tRecord, "edge-dns-www.app.example.com", "edge-dns-1")
		rename(old, tRecord, "edge-dns-api.example.com", "edge-dns-2")
		rename(new, tRecord, "edge-dns-api.example.com", "edge-dns-1")
		var kept []snapshot.Resource
		for _, r := range new.Resources {
			if r.Name != "edge-dns-www.app.example.com" {
				kept = append(kept, r)
			}
		}
		new.Resources = kept
		p, _ := replay.Up(old, new)
		if !failsWith(p, `aws:route53/record:Record "edge-dns-1" would be replaced`, "record api.example.com A") {
			t.Errorf("want the record for api.example.com refused as a collision; failures %v", p.Failures)
		}
	})
	t.Run("domain replaced create-first", func(t *testing.T) {
		new := cloneResult(t, base)
		for i, r := range new.Resources {
			if r.Type == tDomain {
				new.Resources[i].DeleteBeforeReplace = false
				new.Resources[i].Inputs["domain"] = "another-prefix"
			}
		}
		p, _ := replay.Up(base, new)
		if !failsWith(p, "UserPoolDomain", "the prefix domain of user pool") {
			t.Errorf("want the second domain of the pool refused; failures %v", p.Failures)
		}
	})
	t.Run("protected pool replaced", func(t *testing.T) {
		old := synthesize(t, withConfig(merge(fourHosts, map[string]string{"protect": "true"})))
		new := cloneResult(t, old)
		for i, r := range new.Resources {
			if r.Type == tPool {
				new.Resources[i].Inputs["usernameAttributes"] = []any{"phone_number"}
			}
		}
		p, _ := replay.Up(old, new)
		if !failsWith(p, "UserPool", "never replaced") {
			t.Errorf("want the pool's replacement refused; failures %v", p.Failures)
		}
	})
	t.Run("load balancer with deletion protection replaced", func(t *testing.T) {
		old := synthesize(t, withConfig(merge(fourHosts, map[string]string{"protect": "true"})))
		new := cloneResult(t, old)
		for i, r := range new.Resources {
			if r.Type == tAlb {
				new.Resources[i].Inputs["internal"] = true
			}
		}
		p, _ := replay.Up(old, new)
		if !failsWith(p, "LoadBalancer", "deletion protection is on") {
			t.Errorf("want the ALB's replacement refused; failures %v", p.Failures)
		}
	})
}

func failsWith(p *replay.Plan, parts ...string) bool {
	for _, f := range p.Failures {
		ok := true
		for _, s := range parts {
			ok = ok && strings.Contains(f.Message, s)
		}
		if ok {
			return true
		}
	}
	return false
}

func merge(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}
