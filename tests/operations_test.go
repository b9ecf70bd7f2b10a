package tests

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/example/alb-cognito-fargate/infra/awsraw"
	"github.com/example/alb-cognito-fargate/tools/catalog"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

var tBucketPolicy = catalog.BucketPolicy.Token

// Autoscaling: a scalable target on the service between minCount and
// maxCount, target tracking on CPU and on ALB requests per task (with the
// ALB's and target group's label), cooldowns, and the service ignoring
// later desiredCount changes, so a pulumi up does not reset the running
// count.
func TestAutoscaling(t *testing.T) {
	res := synthesize(t, withConfig(map[string]string{"desiredCount": "3", "minCount": "2", "maxCount": "10"}))
	svc, cluster := one(t, res, tService), one(t, res, tCluster)
	target := one(t, res, tTarget)
	in := target.Inputs
	if in["serviceNamespace"] != "ecs" || in["scalableDimension"] != "ecs:service:DesiredCount" ||
		in["resourceId"] != fmt.Sprintf("service/%s/%s", cluster.Outputs["name"], svc.Outputs["name"]) ||
		num(t, in["minCapacity"]) != 2 || num(t, in["maxCapacity"]) != 10 {
		t.Errorf("scalable target = %v", in)
	}
	if !slices.Equal(svc.IgnoreChanges, []string{"desiredCount"}) || num(t, svc.Inputs["desiredCount"]) != 3 {
		t.Errorf("service: ignoreChanges %v, desiredCount %v; want desiredCount ignored after the start at 3", svc.IgnoreChanges, svc.Inputs["desiredCount"])
	}
	alb, tg := one(t, res, tAlb), one(t, res, tTg)
	metrics := map[string]any{}
	for _, p := range res.ByType(tPolicy) {
		c := p.Inputs["targetTrackingScalingPolicyConfiguration"]
		metric := fmt.Sprint(at(t, c, "predefinedMetricSpecification", "predefinedMetricType"))
		metrics[metric] = at(t, c, "targetValue")
		if p.Inputs["policyType"] != "TargetTrackingScaling" || p.Inputs["resourceId"] != in["resourceId"] ||
			num(t, at(t, c, "scaleOutCooldown")) != 60 || num(t, at(t, c, "scaleInCooldown")) != 300 {
			t.Errorf("policy %s = %v", p.Name, p.Inputs)
		}
		if metric == "ALBRequestCountPerTarget" {
			want := fmt.Sprintf("%s/%s", alb.Outputs["arnSuffix"], tg.Outputs["arnSuffix"])
			if at(t, c, "predefinedMetricSpecification", "resourceLabel") != want {
				t.Errorf("request count label = %v, want %s", at(t, c, "predefinedMetricSpecification", "resourceLabel"), want)
			}
		}
	}
	if fmt.Sprint(metrics) != "map[ALBRequestCountPerTarget:1000 ECSServiceAverageCPUUtilization:60]" {
		t.Errorf("target tracking = %v", metrics)
	}
	// Without minCount/maxCount: no scaling, desiredCount managed.
	plain := synthesize(t, baseConfig())
	if len(plain.ByType(tTarget)) != 0 || one(t, plain, tService).IgnoreChanges != nil {
		t.Error("without minCount and maxCount the service must not scale nor ignore desiredCount")
	}
}

// Secrets reach the container as ECS secrets (valueFrom), never as plain
// environment; the execution role may read exactly those, and decrypt only
// with a named key.
func TestSecrets(t *testing.T) {
	res := synthesize(t, withConfig(map[string]string{
		"secrets": `{"DB_URL":"arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf:url::",` +
			`"DB_PASSWORD":"arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf:password::",` +
			`"TOKEN":"arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/token",` +
			`"API_KEY":"/prod/api-key","LICENSE":"arn:aws:ssm:eu-west-1:111122223333:parameter/shared/license"}`,
	}))
	c := at(t, decodeJSON(t, one(t, res, tTaskDef).Inputs["containerDefinitions"]), 0)
	got := map[string]string{}
	for _, s := range list(t, at(t, c, "secrets")) {
		got[fmt.Sprint(at(t, s, "name"))] = fmt.Sprint(at(t, s, "valueFrom"))
	}
	want := map[string]string{
		"API_KEY": "/prod/api-key", "DB_PASSWORD": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf:password::",
		"DB_URL":  "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf:url::",
		"LICENSE": "arn:aws:ssm:eu-west-1:111122223333:parameter/shared/license", "TOKEN": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/token",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("container secrets = %v, want %v", got, want)
	}
	for _, e := range list(t, at(t, c, "environment")) {
		if want[fmt.Sprint(at(t, e, "name"))] != "" {
			t.Errorf("secret %v is also a plain environment variable", at(t, e, "name"))
		}
	}
	grants := execRoleGrants(t, res)
	// prod/db-AbCdEf may be a full ARN or the partial ARN of a secret named
	// so: both are granted. prod/token is partial: any suffix.
	if fmt.Sprint(grants["secretsmanager:GetSecretValue"]) != "[arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf-?????? arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/token-??????]" {
		t.Errorf("Secrets Manager grants = %v", grants["secretsmanager:GetSecretValue"])
	}
	if fmt.Sprint(grants["ssm:GetParameters"]) != "[arn:aws:ssm:eu-west-1:111122223333:parameter/shared/license arn:aws:ssm:eu-west-1:123456789012:parameter/prod/api-key]" {
		t.Errorf("SSM grants = %v", grants["ssm:GetParameters"])
	}
	if _, ok := grants["kms:Decrypt"]; ok {
		t.Error("kms:Decrypt without a named key")
	}
	withKey := synthesize(t, withConfig(map[string]string{"secrets": `{"API_KEY":"/prod/api-key"}`, "secretsKmsKey": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}))
	if fmt.Sprint(execRoleGrants(t, withKey)["kms:Decrypt"]) != "[arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab]" {
		t.Errorf("kms grant = %v", execRoleGrants(t, withKey)["kms:Decrypt"])
	}
}

// execRoleGrants lists the execution role's actions and their resources.
func execRoleGrants(t *testing.T, res *snapshot.Stack) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, s := range list(t, at(t, decodeJSON(t, named(t, res, tRolePolicy, "app-execution").Inputs["policy"]), "Statement")) {
		actions := actionsOf(t, s)
		var resources []string
		if r, ok := at(t, s, "Resource").(string); ok {
			resources = []string{r}
		} else {
			resources = strs(t, at(t, s, "Resource"))
		}
		for _, a := range actions {
			out[a] = append(out[a], resources...)
		}
	}
	for a := range out {
		out[a] = sorted(out[a])
	}
	return out
}

// Access logs (ELB.5): a private bucket, owner-enforced, SSE-S3, TLS only,
// writable by the region's log delivery under the ALB's prefix only, logs
// expired with logRetentionDays; the ALB writes there once the policy is in
// place. With protect, the bucket is protected and not force-destroyed.
func TestAccessLogs(t *testing.T) {
	for _, tc := range []struct {
		region, principal string
		protect           bool
	}{
		{"eu-west-1", `{"AWS":"arn:aws:iam::156460612806:root"}`, false}, // a region with an ELB account
		{"ap-southeast-4", `{"Service":"logdelivery.elasticloadbalancing.amazonaws.com"}`, true},
	} {
		res := synthesize(t, withConfig(map[string]string{"aws:region": tc.region, "logRetentionDays": "90", "protect": fmt.Sprint(tc.protect)}))
		bucket := one(t, res, tBucket)
		if bucket.Protect != tc.protect || bucket.Inputs["forceDestroy"] != !tc.protect {
			t.Errorf("%s: bucket protect %v forceDestroy %v", tc.region, bucket.Protect, bucket.Inputs["forceDestroy"])
		}
		name := bucket.Outputs["bucket"]
		byType := map[string]snapshot.Resource{}
		for _, r := range res.Resources {
			if strings.HasPrefix(r.Type, "aws:s3/") && r.Type != tBucket {
				byType[r.Type] = r
				if r.Inputs["bucket"] != name {
					t.Errorf("%s is on bucket %v", r.Type, r.Inputs["bucket"])
				}
			}
		}
		pab := byType["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"].Inputs
		if pab["blockPublicAcls"] != true || pab["blockPublicPolicy"] != true || pab["ignorePublicAcls"] != true || pab["restrictPublicBuckets"] != true {
			t.Errorf("public access block = %v", pab)
		}
		if at(t, byType["aws:s3/bucketOwnershipControls:BucketOwnershipControls"].Inputs, "rule", "objectOwnership") != "BucketOwnerEnforced" {
			t.Error("object ownership must be BucketOwnerEnforced")
		}
		if at(t, byType["aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"].Inputs, "rules", 0, "applyServerSideEncryptionByDefault", "sseAlgorithm") != "AES256" {
			t.Error("ELB log delivery supports SSE-S3 (AES256) only")
		}
		if at(t, byType["aws:s3/bucketVersioningV2:BucketVersioningV2"].Inputs, "versioningConfiguration", "status") != "Enabled" {
			t.Error("the access log bucket must be versioned")
		}
		// Logs expire after the retention, their noncurrent versions
		// (expired or deleted logs) the retention later, then the delete
		// markers; S3 refuses days and expiredObjectDeleteMarker in one
		// expiration, so each rule has only its own.
		lifecycle := list(t, at(t, byType["aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"].Inputs, "rules"))
		logs, markers := lifecycle[0], lifecycle[1]
		absent(t, logs, "expiration", "expiredObjectDeleteMarker")
		absent(t, markers, "expiration", "days")
		if len(lifecycle) != 2 || num(t, at(t, logs, "expiration", "days")) != 90 || num(t, at(t, logs, "noncurrentVersionExpiration", "noncurrentDays")) != 90 ||
			at(t, logs, "status") != "Enabled" || at(t, markers, "expiration", "expiredObjectDeleteMarker") != true || at(t, markers, "status") != "Enabled" {
			t.Errorf("lifecycle rules = %v", lifecycle)
		}
		policy := decodeJSON(t, one(t, res, tBucketPolicy).Inputs["policy"])
		deny, allow := at(t, policy, "Statement", 0), at(t, policy, "Statement", 1)
		if at(t, deny, "Effect") != "Deny" || at(t, deny, "Condition", "Bool", "aws:SecureTransport") != "false" {
			t.Errorf("no TLS-only statement: %v", deny)
		}
		principal := fmt.Sprint(at(t, allow, "Principal"))
		if want := fmt.Sprint(decodeJSON(t, tc.principal)); principal != want || at(t, allow, "Action") != "s3:PutObject" ||
			at(t, allow, "Resource") != "arn:aws:s3:::"+fmt.Sprint(name)+"/alb/AWSLogs/123456789012/*" {
			t.Errorf("%s: log delivery statement = %v, want principal %s", tc.region, allow, want)
		}
		alb := one(t, res, tAlb)
		if at(t, alb.Inputs, "accessLogs", "bucket") != name || at(t, alb.Inputs, "accessLogs", "enabled") != true || at(t, alb.Inputs, "accessLogs", "prefix") != "alb" {
			t.Errorf("ALB access logs = %v", alb.Inputs["accessLogs"])
		}
		if !slices.Contains(alb.DependsOn, one(t, res, tBucketPolicy).URN) {
			t.Error("the ALB must wait for the bucket policy: ELB writes a test object when logging is turned on")
		}
		// One setting at a time: S3 may refuse a new bucket's concurrent
		// configuration calls (409 OperationAborted).
		chain := []string{"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
			"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "aws:s3/bucketVersioningV2:BucketVersioningV2",
			"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", tBucketPolicy}
		for i := 1; i < len(chain); i++ {
			if !slices.Contains(byType[chain[i]].DependsOn, byType[chain[i-1]].URN) {
				t.Errorf("%s must wait for %s", chain[i], chain[i-1])
			}
		}
	}
	if off := synthesize(t, withConfig(map[string]string{"accessLogs": "false"})); len(off.ByType(tBucket)) != 0 || one(t, off, tAlb).Inputs["accessLogs"] != nil {
		t.Error("accessLogs false must leave out the bucket and the ALB's logging")
	}
}

// WAF (ELB.16): the forged-identity-header rule first, blocking in both
// modes; rate rules per session cookie, per address without one, and per
// address for everything; AWS managed rule groups. block blocks, count
// only counts (except the forged headers); the common rule set skips the
// Cognito callback and only counts the size rules the ALB's own traffic
// trips; a replacement of the association deletes the old one first. What
// the rules do to traffic is in waf_test.go.
func TestWaf(t *testing.T) {
	for _, mode := range []string{"block", "count"} {
		res := synthesize(t, withConfig(map[string]string{"waf": mode, "wafRateLimit": "700", "wafIpRateLimit": "9000"}))
		acl, assoc := one(t, res, tWebACL), one(t, res, tWebACLAssn)
		if _, allow := lookup(acl.Inputs, "defaultAction", "allow"); acl.Inputs["scope"] != "REGIONAL" || !allow {
			t.Errorf("%s: web ACL %v", mode, acl.Inputs)
		}
		if assoc.Inputs["resourceArn"] != one(t, res, tAlb).Outputs["arn"] || assoc.Inputs["webAclArn"] != acl.Outputs["arn"] || !assoc.DeleteBeforeReplace {
			t.Errorf("%s: association %v (delete first %v)", mode, assoc.Inputs, assoc.DeleteBeforeReplace)
		}
		rules := map[string]any{}
		var order []string
		for _, r := range list(t, acl.Inputs["rules"]) {
			name := fmt.Sprint(at(t, r, "name"))
			if g, ok := lookup(r, "statement", "managedRuleGroupStatement"); ok {
				name = fmt.Sprint(at(t, g, "name"))
				want := map[string]string{"block": "none", "count": "count"}[mode]
				if _, ok := lookup(r, "overrideAction", want); !ok {
					t.Errorf("%s: rule %v overrides with %v, want %s", mode, at(t, r, "name"), at(t, r, "overrideAction"), want)
				}
			} else if _, ok := lookup(r, "statement", "rateBasedStatement"); ok {
				if _, acts := lookup(r, "action", mode); !acts {
					t.Errorf("%s: rate rule %s acts with %v", mode, name, at(t, r, "action"))
				}
			}
			rules[name] = r
			order = append(order, name)
			if _, ok := lookup(r, "visibilityConfig", "metricName"); !ok {
				t.Errorf("rule %v has no metrics", name)
			}
		}
		if !slices.Equal(order, []string{"block-forged-identity-headers", "rate-limit-per-session", "rate-limit-anonymous", "rate-limit-per-ip",
			"AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesCommonRuleSet"}) {
			t.Errorf("%s: rules in order %v", mode, order)
		}
		forged := rules["block-forged-identity-headers"]
		if _, blocks := lookup(forged, "action", "block"); !blocks || num(t, at(t, forged, "priority")) != 0 {
			t.Errorf("%s: forged identity headers must be blocked first in every mode: %v", mode, forged)
		}
		var headers []string
		for _, st := range list(t, at(t, forged, "statement", "orStatement", "statements")) {
			sc := at(t, st, "sizeConstraintStatement")
			if at(t, sc, "comparisonOperator") != "GT" || num(t, at(t, sc, "size")) != 0 {
				t.Errorf("a header is forged when it is present with a value: %v", sc)
			}
			headers = append(headers, fmt.Sprint(at(t, sc, "fieldToMatch", "singleHeader", "name")))
		}
		if !equalSets(headers, []string{"x-amzn-oidc-data", "x-amzn-oidc-accesstoken", "x-amzn-oidc-identity"}) {
			t.Errorf("forged headers %v", headers)
		}
		session := at(t, rules["rate-limit-per-session"], "statement", "rateBasedStatement")
		if num(t, at(t, session, "limit")) != 700 || at(t, session, "aggregateKeyType") != "CUSTOM_KEYS" ||
			at(t, session, "customKeys", 0, "cookie", "name") != "AWSELBAuthSessionCookie-0" || len(list(t, at(t, session, "customKeys"))) != 1 {
			t.Errorf("%s: per-session rule %v", mode, session)
		}
		anon := at(t, rules["rate-limit-anonymous"], "statement", "rateBasedStatement")
		// Without a session: the cookie found as the per-session rule finds
		// its key, so the two rules split requests exactly.
		scAnon := at(t, anon, "scopeDownStatement", "notStatement", "statements", 0, "sizeConstraintStatement")
		if num(t, at(t, anon, "limit")) != 700 || at(t, anon, "aggregateKeyType") != "IP" || at(t, scAnon, "comparisonOperator") != "GT" ||
			fmt.Sprint(at(t, scAnon, "fieldToMatch", "cookies", "matchPatterns", 0, "includedCookies")) != "[AWSELBAuthSessionCookie-0]" ||
			at(t, scAnon, "fieldToMatch", "cookies", "matchScope") != "VALUE" {
			t.Errorf("%s: anonymous rule %v", mode, anon)
		}
		perIP := at(t, rules["rate-limit-per-ip"], "statement", "rateBasedStatement")
		absent(t, perIP, "scopeDownStatement")
		if num(t, at(t, perIP, "limit")) != 9000 || at(t, perIP, "aggregateKeyType") != "IP" {
			t.Errorf("%s: per-IP backstop %v", mode, perIP)
		}
		crs := at(t, rules["AWSManagedRulesCommonRuleSet"], "statement", "managedRuleGroupStatement")
		bm := at(t, crs, "scopeDownStatement", "notStatement", "statements", 0, "byteMatchStatement")
		if _, uri := lookup(bm, "fieldToMatch", "uriPath"); at(t, bm, "searchString") != "/oauth2/idpresponse" || at(t, bm, "positionalConstraint") != "EXACTLY" || !uri {
			t.Errorf("the common rule set must not inspect the Cognito callback: %v", at(t, crs, "scopeDownStatement"))
		}
		var counted []string
		for _, o := range list(t, at(t, crs, "ruleActionOverrides")) {
			if _, ok := lookup(o, "actionToUse", "count"); ok {
				counted = append(counted, fmt.Sprint(at(t, o, "name")))
			}
		}
		if !equalSets(counted, []string{"SizeRestrictions_Cookie_HEADER", "SizeRestrictions_BODY"}) {
			t.Errorf("count-only rules = %v", counted)
		}
	}
	if off := synthesize(t, withConfig(map[string]string{"waf": "off"})); len(off.ByType(tWebACL))+len(off.ByType(tWebACLAssn)) != 0 {
		t.Error("waf off must leave out the web ACL")
	}
}

// Capacity: on-demand keeps the FARGATE launch type (deployed services are
// not replaced); Spot and mixed use capacity provider strategies (a base of
// on-demand tasks first with mixed) with forceNewDeployment, so moving
// between strategies updates in place; the cluster offers both providers.
func TestCapacity(t *testing.T) {
	for _, tc := range []struct {
		capacity, want string
	}{
		{"fargate", ""},
		{"spot", "[map[capacityProvider:FARGATE_SPOT weight:1]]"},
		{"mixed", "[map[base:2 capacityProvider:FARGATE weight:0] map[capacityProvider:FARGATE_SPOT weight:1]]"},
	} {
		set := map[string]string{"capacity": tc.capacity}
		if tc.capacity == "mixed" {
			set["onDemandBase"] = "2"
		}
		res := synthesize(t, withConfig(set))
		svc := one(t, res, tService)
		cp := one(t, res, tCapacity)
		if !equalSets(strs(t, cp.Inputs["capacityProviders"]), []string{"FARGATE", "FARGATE_SPOT"}) || cp.Inputs["clusterName"] != one(t, res, tCluster).Outputs["name"] {
			t.Errorf("cluster capacity providers = %v", cp.Inputs)
		}
		if !slices.Contains(svc.DependsOn, cp.URN) {
			t.Error("the service must wait for the cluster's capacity providers")
		}
		if tc.want == "" {
			if svc.Inputs["launchType"] != "FARGATE" || svc.Inputs["capacityProviderStrategies"] != nil {
				t.Errorf("fargate: launch type %v strategy %v", svc.Inputs["launchType"], svc.Inputs["capacityProviderStrategies"])
			}
			continue
		}
		if svc.Inputs["launchType"] != nil || fmt.Sprint(svc.Inputs["capacityProviderStrategies"]) != tc.want || svc.Inputs["forceNewDeployment"] != true {
			t.Errorf("%s: launch type %v, strategy %v, forceNewDeployment %v; want strategy %s", tc.capacity, svc.Inputs["launchType"], svc.Inputs["capacityProviderStrategies"], svc.Inputs["forceNewDeployment"], tc.want)
		}
	}
}

// ECS Exec: the service allows it, the task role gets exactly the SSM
// messages permissions and may log the sessions to the container's log
// group, the container runs an init process (so toggling exec always
// rolls new tasks, which are the only ones it applies to), the task
// definition waits for the roles' policies, and with a read-only root file
// system the SSM agent's paths are writable.
func TestExec(t *testing.T) {
	res := synthesize(t, withConfig(map[string]string{"exec": "true"}))
	if one(t, res, tService).Inputs["enableExecuteCommand"] != true {
		t.Error("enableExecuteCommand must be true")
	}
	task := named(t, res, tRole, "app-task")
	logGroup := fmt.Sprint(named(t, res, "aws:cloudwatch/logGroup:LogGroup", "app-logs").Outputs["arn"])
	grants := map[string][]string{}
	for _, p := range res.ByType(tRolePolicy) {
		if p.Inputs["role"] == task.ID {
			for _, s := range list(t, at(t, decodeJSON(t, p.Inputs["policy"]), "Statement")) {
				actions := actionsOf(t, s)
				for _, a := range actions {
					grants[a] = append(grants[a], fmt.Sprint(at(t, s, "Resource")))
				}
			}
		}
	}
	want := map[string][]string{
		"ssmmessages:CreateControlChannel": {"*"}, "ssmmessages:CreateDataChannel": {"*"},
		"ssmmessages:OpenControlChannel": {"*"}, "ssmmessages:OpenDataChannel": {"*"},
		"logs:DescribeLogGroups": {"*"}, "logs:CreateLogStream": {logGroup + ":*"},
		"logs:DescribeLogStreams": {logGroup + ":*"}, "logs:PutLogEvents": {logGroup + ":*"},
	}
	if fmt.Sprint(grants) != fmt.Sprint(want) {
		t.Errorf("task role grants = %v\nwant %v", grants, want)
	}
	td := one(t, res, tTaskDef)
	for _, p := range []string{"app-exec", "app-execution"} {
		if !slices.Contains(td.DependsOn, named(t, res, tRolePolicy, p).URN) {
			t.Errorf("the task definition must wait for the %s policy", p)
		}
	}
	c := at(t, decodeJSON(t, td.Inputs["containerDefinitions"]), 0)
	if at(t, c, "linuxParameters", "initProcessEnabled") != true {
		t.Errorf("exec needs initProcessEnabled: linuxParameters = %v", at(t, c, "linuxParameters"))
	}
	var mounts []string
	for _, m := range list(t, at(t, c, "mountPoints")) {
		mounts = append(mounts, fmt.Sprint(at(t, m, "containerPath")))
	}
	for _, p := range []string{"/managed-agents", "/var/lib/amazon/ssm", "/var/log/amazon/ssm"} {
		if !slices.Contains(mounts, p) {
			t.Errorf("%s is not writable: the SSM agent cannot start on a read-only root file system", p)
		}
	}
	if at(t, c, "readonlyRootFilesystem") != true {
		t.Error("exec must not give up the read-only root file system")
	}
	off := synthesize(t, baseConfig())
	if one(t, off, tService).Inputs["enableExecuteCommand"] != false {
		t.Error("exec must be off by default")
	}
	absent(t, decodeJSON(t, one(t, off, tTaskDef).Inputs["containerDefinitions"]), 0, "linuxParameters") // no init process without exec
	for _, p := range off.ByType(tRolePolicy) {
		if p.Inputs["role"] == named(t, off, tRole, "app-task").ID {
			t.Error("the task role has a policy although exec is off")
		}
	}
}

// The S3 and WAF resources are registered without their generated
// packages; they ask for the same pulumi-aws version as go.mod pins, so the
// engine uses one provider plugin for everything.
func TestRawRegistrationsUseTheModulesProviderVersion(t *testing.T) {
	b, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`github\.com/pulumi/pulumi-aws/sdk/v6 v(\S+)`).FindSubmatch(b)
	if m == nil || string(m[1]) != awsraw.ProviderVersion {
		t.Fatalf("go.mod pins pulumi-aws %s, awsraw asks for %s", m[1], awsraw.ProviderVersion)
	}
	res := synthesize(t, withConfig(map[string]string{"waf": "block"}))
	for _, typ := range []string{tWebACL, tWebACLAssn, tBucket, tBucketPolicy} {
		if r := one(t, res, typ); r.Version != awsraw.ProviderVersion {
			t.Errorf("%s registered with version %q", typ, r.Version)
		}
	}
}
