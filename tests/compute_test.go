package tests

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The tasks accept traffic only from the ALB's security group, on the
// container port (EC2.18/19), and reach out only on 443 (image pulls, logs).
func TestTaskSecurityGroupAdmitsOnlyTheAlb(t *testing.T) {
	res := synthesize(t, withConfig(map[string]string{"containerPort": "8080"}))
	albSg, taskSg := named(t, res, tSg, "edge-alb-sg"), named(t, res, tSg, "app-task-sg")
	ingress := list(t, taskSg.Inputs["ingress"])
	if len(ingress) != 1 {
		t.Fatalf("want exactly one ingress rule, got %v", ingress)
	}
	in := ingress[0]
	if num(t, at(t, in, "fromPort")) != 8080 || num(t, at(t, in, "toPort")) != 8080 || at(t, in, "protocol") != "tcp" {
		t.Errorf("ingress = %v, want tcp 8080", in)
	}
	if got := strs(t, at(t, in, "securityGroups")); !slices.Equal(got, []string{albSg.ID}) {
		t.Errorf("ingress sources = %v, want only the ALB's group %s", got, albSg.ID)
	}
	absent(t, in, "cidrBlocks") // the ingress admits no address block
	egress := list(t, taskSg.Inputs["egress"])
	if len(egress) != 1 || num(t, at(t, egress[0], "fromPort")) != 443 || num(t, at(t, egress[0], "toPort")) != 443 {
		t.Errorf("task egress = %v, want 443 only (NAT: image pulls, logs, AWS APIs)", egress)
	}
}

// The service runs in the private subnets without public IPs (ECS.2), on the
// latest platform (ECS.10), behind the target group, and only after the
// listener rules attach the target group to the ALB (aws-facts).
func TestServiceWiring(t *testing.T) {
	res := synthesize(t, withConfig(map[string]string{"availabilityZones": "3", "desiredCount": "4", "containerPort": "8080"}))
	svc, tg := one(t, res, tService), one(t, res, tTg)
	in := svc.Inputs

	private, public := subnetIDs(t, res, "private"), subnetIDs(t, res, "public")
	if len(private) != 3 {
		t.Fatalf("mock VPC should have 3 private subnets, has %v", private)
	}
	subnets := strs(t, at(t, in, "networkConfiguration", "subnets"))
	if !slices.Equal(subnets, private) {
		t.Errorf("service subnets = %v, want the private subnets %v", subnets, private)
	}
	for _, s := range subnets {
		if slices.Contains(public, s) {
			t.Errorf("service runs in public subnet %s", s)
		}
	}
	if at(t, in, "networkConfiguration", "assignPublicIp") != false {
		t.Error("assignPublicIp must be false (ECS.2)")
	}
	if got := strs(t, at(t, in, "networkConfiguration", "securityGroups")); !slices.Equal(got, []string{named(t, res, tSg, "app-task-sg").ID}) {
		t.Errorf("service security groups = %v", got)
	}
	if in["platformVersion"] != "LATEST" || in["launchType"] != "FARGATE" {
		t.Errorf("platform %v launch type %v", in["platformVersion"], in["launchType"])
	}
	if num(t, in["desiredCount"]) != 4 {
		t.Errorf("desiredCount = %v", in["desiredCount"])
	}
	lb := at(t, in, "loadBalancers", 0)
	if at(t, lb, "targetGroupArn") != tg.Outputs["arn"] || num(t, at(t, lb, "containerPort")) != 8080 || at(t, lb, "containerName") != "app" {
		t.Errorf("service load balancer = %v", lb)
	}
	if at(t, in, "deploymentCircuitBreaker", "enable") != true || at(t, in, "deploymentCircuitBreaker", "rollback") != true {
		t.Errorf("circuit breaker = %v", in["deploymentCircuitBreaker"])
	}
	if num(t, in["healthCheckGracePeriodSeconds"]) <= 0 || in["waitForSteadyState"] != true {
		t.Errorf("grace period %v, waitForSteadyState %v", in["healthCheckGracePeriodSeconds"], in["waitForSteadyState"])
	}
	rules := res.ByType(tRule)
	if len(rules) == 0 {
		t.Fatal("no listener rules")
	}
	for _, r := range rules {
		if !slices.Contains(svc.DependsOn, r.URN) {
			t.Errorf("the service does not depend on listener rule %s: ECS rejects a target group without a listener", r.Name)
		}
	}
	if at(t, in, "cluster") != one(t, res, tCluster).Outputs["arn"] || at(t, in, "taskDefinition") != one(t, res, tTaskDef).Outputs["arn"] {
		t.Errorf("service cluster/task definition = %v %v", in["cluster"], in["taskDefinition"])
	}
}

// The task definition: Fargate, awsvpc, the configured size, awslogs (ECS.9),
// not privileged (ECS.4), read-only root file system with writable volumes
// (ECS.5), no credentials in the environment (ECS.8, see the config tests).
func TestTaskDefinition(t *testing.T) {
	res := synthesize(t, withConfig(map[string]string{
		"cpu": "1024", "memory": "3072", "image": "registry.example.com/team/app:1.2.3", "containerPort": "8080",
		"environment": `{"LOG_LEVEL":"info","FEATURE_X":"on"}`, "writablePaths": `["/tmp","/app/cache"]`,
	}))
	td, logs := one(t, res, tTaskDef), named(t, res, tLogGroup, "app-logs")
	in := td.Inputs
	if !slices.Equal(strs(t, in["requiresCompatibilities"]), []string{"FARGATE"}) || in["networkMode"] != "awsvpc" {
		t.Errorf("compatibilities %v network mode %v", in["requiresCompatibilities"], in["networkMode"])
	}
	if in["cpu"] != "1024" || in["memory"] != "3072" {
		t.Errorf("size = %v/%v", in["cpu"], in["memory"])
	}
	defs := list(t, decodeJSON(t, in["containerDefinitions"]))
	if len(defs) != 1 {
		t.Fatalf("want one container, got %d", len(defs))
	}
	c := defs[0]
	if at(t, c, "image") != "registry.example.com/team/app:1.2.3" || at(t, c, "essential") != true || at(t, c, "name") != "app" {
		t.Errorf("container = %v", c)
	}
	if num(t, at(t, c, "portMappings", 0, "containerPort")) != 8080 {
		t.Errorf("port mappings = %v", at(t, c, "portMappings"))
	}
	if at(t, c, "privileged") != false || at(t, c, "readonlyRootFilesystem") != true {
		t.Errorf("privileged %v readonlyRootFilesystem %v", at(t, c, "privileged"), at(t, c, "readonlyRootFilesystem"))
	}
	lc := at(t, c, "logConfiguration")
	if at(t, lc, "logDriver") != "awslogs" || at(t, lc, "options", "awslogs-group") != logs.Outputs["name"] || at(t, lc, "options", "awslogs-region") != "eu-west-1" {
		t.Errorf("log configuration = %v", lc)
	}
	env := map[string]any{}
	for _, e := range list(t, at(t, c, "environment")) {
		env[at(t, e, "name").(string)] = at(t, e, "value")
	}
	if env["LOG_LEVEL"] != "info" || env["FEATURE_X"] != "on" {
		t.Errorf("configured environment missing: %v", env)
	}
	// What the stack tells the container, from the resources themselves.
	want := map[string]any{
		"ALB_ARN":           one(t, res, tAlb).Outputs["arn"],
		"AWS_REGION":        "eu-west-1",
		"COGNITO_CLIENT_ID": one(t, res, tClient).ID,
		"COGNITO_DOMAIN":    "https://" + one(t, res, tDomain).ID + ".auth.eu-west-1.amazoncognito.com",
		"LOGOUT_URL":        "https://app.example.com/logged-out",
		"PORT":              "8080",
		"COGNITO_ISSUER":    "https://" + one(t, res, tPool).Outputs["endpoint"].(string),
		"ADMIN_GROUP":       "",
	}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("environment %s = %v, want %v", k, env[k], v)
		}
	}
	if len(env) != 2+len(want) {
		t.Errorf("environment = %v", env)
	}
	volumes := map[string]bool{}
	for _, v := range list(t, in["volumes"]) {
		volumes[at(t, v, "name").(string)] = true
		absent(t, v, "hostPath") // Fargate volumes have no host path
	}
	var mounted []string
	for _, m := range list(t, at(t, c, "mountPoints")) {
		if !volumes[at(t, m, "sourceVolume").(string)] {
			t.Errorf("mount %v names no volume", m)
		}
		mounted = append(mounted, at(t, m, "containerPath").(string))
	}
	if !slices.Equal(mounted, []string{"/tmp", "/app/cache"}) {
		t.Errorf("writable mounts = %v", mounted)
	}
	if num(t, logs.Inputs["retentionInDays"]) != 30 {
		t.Errorf("log retention = %v", logs.Inputs["retentionInDays"])
	}
}

// The execution role may pull images and write to this log group, nothing
// more; the task role has no permissions at all.
func TestRolesAreLeastPrivilege(t *testing.T) {
	res := synthesize(t, baseConfig())
	td := one(t, res, tTaskDef)
	exec, task := named(t, res, tRole, "app-execution"), named(t, res, tRole, "app-task")
	if td.Inputs["executionRoleArn"] != exec.Outputs["arn"] || td.Inputs["taskRoleArn"] != task.Outputs["arn"] {
		t.Fatalf("task definition roles = %v %v", td.Inputs["executionRoleArn"], td.Inputs["taskRoleArn"])
	}
	for _, r := range []string{"app-execution", "app-task"} {
		trust := decodeJSON(t, named(t, res, tRole, r).Inputs["assumeRolePolicy"])
		if at(t, trust, "Statement", 0, "Principal", "Service") != "ecs-tasks.amazonaws.com" {
			t.Errorf("%s trust = %v", r, trust)
		}
		absent(t, named(t, res, tRole, r).Inputs, "managedPolicyArns")
	}
	var execPolicies int
	for _, p := range res.ByType(tRolePolicy) {
		switch p.Inputs["role"] {
		case task.ID:
			t.Errorf("the task role has a policy: %v", p.Inputs["policy"])
		case exec.ID:
			execPolicies++
			doc := decodeJSON(t, p.Inputs["policy"])
			logsArn := named(t, res, tLogGroup, "app-logs").Outputs["arn"].(string)
			for _, s := range list(t, at(t, doc, "Statement")) {
				actions := actionsOf(t, s)
				for _, a := range actions {
					if !strings.HasPrefix(a, "ecr:") && !strings.HasPrefix(a, "logs:") || strings.Contains(a, "*") {
						t.Errorf("execution role allows %s", a)
					}
				}
				if strings.HasPrefix(actions[0], "logs:") && at(t, s, "Resource") != logsArn+":*" {
					t.Errorf("execution role writes logs to %v, want only %s", at(t, s, "Resource"), logsArn)
				}
			}
		}
	}
	if execPolicies != 1 {
		t.Errorf("execution role has %d policies, want 1", execPolicies)
	}
}

// Container Insights (ECS.12), VPC flow logs (EC2.6) and an empty default
// security group (EC2.2).
func TestMonitoringAndVpcHygiene(t *testing.T) {
	res := synthesize(t, withConfig(map[string]string{"natGateways": "perAz", "availabilityZones": "3"}))
	cluster := one(t, res, tCluster)
	if at(t, cluster.Inputs, "settings", 0, "name") != "containerInsights" || at(t, cluster.Inputs, "settings", 0, "value") != "enabled" {
		t.Errorf("cluster settings = %v", cluster.Inputs["settings"])
	}
	vpc := one(t, res, tVpc)
	fl := one(t, res, tFlowLog)
	if fl.Inputs["vpcId"] != vpc.ID || fl.Inputs["trafficType"] != "ALL" {
		t.Errorf("flow log = %v", fl.Inputs)
	}
	dsg := one(t, res, tDefaultSg)
	if dsg.Inputs["vpcId"] != vpc.ID {
		t.Errorf("default security group of %v", dsg.Inputs["vpcId"])
	}
	// Without rules: the provider removes the ones AWS puts there (EC2.2).
	absent(t, dsg.Inputs, "ingress")
	absent(t, dsg.Inputs, "egress")
}

// Every resource is a child of one of the four components, and the
// components are children of the stack.
func TestEveryChildIsParentedToItsComponent(t *testing.T) {
	res := synthesize(t, manyHostsAndPaths())
	components := map[string]string{}
	for _, typ := range []string{tNetworking, tIdentity, tEdge, tCompute} {
		c := one(t, res, typ)
		if !strings.Contains(c.Parent, "::"+tStack+"::") {
			t.Errorf("component %s has parent %s, want the stack", c.Name, c.Parent)
		}
		components[c.URN] = typ
	}
	for _, r := range res.Resources {
		if _, isComponent := components[r.URN]; isComponent {
			continue
		}
		typ, ok := components[r.Parent]
		if !ok {
			t.Errorf("%s %s is parented to %s, not to a component", r.Type, r.Name, r.Parent)
			continue
		}
		// Child names start with the component's name, so they stay unique and stable.
		comp, _ := res.ByURN(r.Parent)
		if !strings.HasPrefix(r.Name, comp.Name+"-") {
			t.Errorf("%s %s under %s does not carry the component's name", r.Type, r.Name, typ)
		}
	}
}

// The output names the issue promises, with values from the resources.
func TestStackOutputs(t *testing.T) {
	res := synthesize(t, baseConfig())
	want := []string{"url", "albDnsName", "userPoolId", "userPoolClientId", "cognitoDomain", "clusterName", "serviceName", "logGroupName", "vpcId", "accessLogBucket"}
	for _, k := range want {
		if res.Outputs[k] == nil || res.Outputs[k] == "" {
			t.Errorf("output %s is missing", k)
		}
	}
	if len(res.Outputs) != len(want) {
		t.Errorf("outputs = %v", res.Outputs)
	}
	if res.Outputs["url"] != "https://app.example.com/" {
		t.Errorf("url = %v", res.Outputs["url"])
	}
	if res.Outputs["userPoolId"] != one(t, res, tPool).ID || res.Outputs["vpcId"] != one(t, res, tVpc).ID ||
		res.Outputs["albDnsName"] != one(t, res, tAlb).Outputs["dnsName"] {
		t.Errorf("outputs do not come from the resources: %v", res.Outputs)
	}
}

// Synthesis is deterministic, so its output can be diffed and committed.
func TestSynthIsDeterministic(t *testing.T) {
	a, err := synthesize(t, manyHostsAndPaths()).JSON()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := synthesize(t, manyHostsAndPaths()).JSON()
	if !bytes.Equal(a, b) {
		t.Fatal("two runs of the same configuration synthesize different JSON")
	}
	if bytes.Contains(a, []byte(`"clientSecret"`)) {
		t.Error("synth output must not carry the client secret")
	}
}

// Both committed environments synthesize; prod differs where production should.
func TestStackFiles(t *testing.T) {
	dev, prod := synthesizeStackFile(t, "dev"), synthesizeStackFile(t, "prod")
	if d, p := len(subnetIDs(t, dev, "private")), len(subnetIDs(t, prod, "private")); d != 2 || p != 3 {
		t.Errorf("zones dev %d prod %d", d, p)
	}
	if d, p := len(dev.ByType(tNat)), len(prod.ByType(tNat)); d != 1 || p != 3 {
		t.Errorf("NAT gateways dev %d prod %d", d, p)
	}
	if num(t, one(t, prod, tService).Inputs["desiredCount"]) <= num(t, one(t, dev, tService).Inputs["desiredCount"]) {
		t.Error("prod should run more tasks than dev")
	}
	if named(t, dev, tDomain, "identity-domain").Inputs["domain"] == named(t, prod, tDomain, "identity-domain").Inputs["domain"] {
		t.Error("dev and prod must not share a Cognito domain prefix")
	}
}

// Both image modes: a public image (default), or app/ built and pushed to a
// new ECR repository, with the defaults that mode needs.
func TestImageModes(t *testing.T) {
	t.Run("default image", func(t *testing.T) {
		res := synthesize(t, baseConfig())
		if n := len(res.ByType("awsx:ecr:Repository")) + len(res.ByType("awsx:ecr:Image")); n != 0 {
			t.Errorf("%d ECR resources without builtInApp", n)
		}
		c := at(t, decodeJSON(t, one(t, res, tTaskDef).Inputs["containerDefinitions"]), 0)
		if at(t, c, "image") != "public.ecr.aws/docker/library/nginx:1.27-alpine" || num(t, at(t, c, "portMappings", 0, "containerPort")) != 80 {
			t.Errorf("container = %v", c)
		}
		var mounts []string
		for _, m := range list(t, at(t, c, "mountPoints")) {
			mounts = append(mounts, at(t, m, "containerPath").(string))
		}
		if !equalSets(mounts, []string{"/tmp", "/var/cache/nginx", "/run"}) {
			t.Errorf("the default image's writable paths = %v", mounts)
		}
		if at(t, one(t, res, tTg).Inputs, "healthCheck", "path") != "/" {
			t.Errorf("health check = %v", one(t, res, tTg).Inputs["healthCheck"])
		}
	})
	t.Run("builtInApp", func(t *testing.T) {
		res := synthesize(t, withConfig(map[string]string{"builtInApp": "true", "imageRetention": "15"}))
		repo, img := one(t, res, "aws:ecr/repository:Repository"), one(t, res, "awsx:ecr:Image")
		compute := one(t, res, tCompute)
		if repo.Parent != compute.URN || img.Parent != compute.URN {
			t.Errorf("ECR resources are not children of compute")
		}
		// Security Hub ECR.1 (scan on push), ECR.2 (immutable tags), ECR.3 (a lifecycle policy).
		if at(t, repo.Inputs, "imageScanningConfiguration", "scanOnPush") != true || repo.Inputs["imageTagMutability"] != "IMMUTABLE" {
			t.Errorf("repository = %v", repo.Inputs)
		}
		lp := one(t, res, "aws:ecr/lifecyclePolicy:LifecyclePolicy")
		rule := at(t, decodeJSON(t, lp.Inputs["policy"]), "rules", 0)
		if lp.Inputs["repository"] != repo.Outputs["name"] || at(t, rule, "selection", "countType") != "imageCountMoreThan" ||
			num(t, at(t, rule, "selection", "countNumber")) != 15 || at(t, rule, "selection", "tagStatus") != "any" || at(t, rule, "action", "type") != "expire" {
			t.Errorf("lifecycle policy = %v on %v", rule, lp.Inputs["repository"])
		}
		if !lp.DeleteBeforeReplace {
			t.Error("a repository has one lifecycle policy: a new one must replace it delete-first")
		}
		// The tag is a hash of the sources: a source change pushes a new tag,
		// which an immutable repository accepts.
		if tag, _ := img.Inputs["imageTag"].(string); !regexp.MustCompile(`^src-[0-9a-f]{16}$`).MatchString(tag) {
			t.Errorf("image tag = %v", img.Inputs["imageTag"])
		}
		if img.Inputs["context"] != "./app" || img.Inputs["platform"] != "linux/amd64" || img.Inputs["repositoryUrl"] != repo.Outputs["repositoryUrl"] {
			t.Errorf("image build = %v", img.Inputs)
		}
		if _, err := os.Stat(filepath.Join("..", fmt.Sprint(img.Inputs["context"]), "Dockerfile")); err != nil {
			t.Errorf("the build context has no Dockerfile: %v", err)
		}
		td := one(t, res, tTaskDef)
		c := at(t, decodeJSON(t, td.Inputs["containerDefinitions"]), 0)
		if at(t, c, "image") != img.Outputs["imageUri"] {
			t.Errorf("task image = %v, want the pushed %v", at(t, c, "image"), img.Outputs["imageUri"])
		}
		if !slices.Contains(td.DependsOn, img.URN) {
			t.Errorf("the task definition does not wait for the image push")
		}
		if num(t, at(t, c, "portMappings", 0, "containerPort")) != 8080 || num(t, one(t, res, tTg).Inputs["port"]) != 8080 {
			t.Errorf("the non-root app must listen on 8080: %v", at(t, c, "portMappings"))
		}
		if at(t, one(t, res, tTg).Inputs, "healthCheck", "path") != "/healthz" {
			t.Errorf("health check = %v", one(t, res, tTg).Inputs["healthCheck"])
		}
		if at(t, c, "readonlyRootFilesystem") != true || len(list(t, at(t, c, "mountPoints"))) != 0 {
			t.Errorf("the app writes nothing: read-only, no mounts; got %v %v", at(t, c, "readonlyRootFilesystem"), at(t, c, "mountPoints"))
		}
		env := map[string]any{}
		for _, e := range list(t, at(t, c, "environment")) {
			env[at(t, e, "name").(string)] = at(t, e, "value")
		}
		for _, k := range []string{"ALB_ARN", "AWS_REGION", "COGNITO_CLIENT_ID", "COGNITO_DOMAIN", "COGNITO_ISSUER", "LOGOUT_URL", "PORT"} {
			if env[k] == nil || env[k] == "" {
				t.Errorf("the app needs %s", k)
			}
		}
	})
}

// Sign-out returns users to https://<host>/logged-out, which every host lists
// as a logout URL and the ALB serves without sign-in.
func TestSignOutLandsOnAPublicPage(t *testing.T) {
	res := synthesize(t, withConfig(fiveHosts))
	var want []string
	for _, h := range fiveHostNames {
		want = append(want, "https://"+h+"/logged-out")
	}
	if got := strs(t, one(t, res, tClient).Inputs["logoutUrls"]); !equalSets(got, want) {
		t.Errorf("logoutUrls = %v, want %v", got, want)
	}
	served := map[string]bool{}
	for _, r := range res.ByType(tRule) {
		paths, hosts := conditionValues(t, r, "pathPattern"), conditionValues(t, r, "hostHeader")
		auth := false
		for _, a := range list(t, r.Inputs["actions"]) {
			auth = auth || at(t, a, "type") == "authenticate-cognito"
		}
		if !auth && slices.Contains(paths, "/logged-out") {
			for _, h := range hosts {
				served[h] = true
			}
		}
	}
	for _, h := range fiveHostNames {
		if !served[h] {
			t.Errorf("/logged-out on %s needs sign-in: users would be sent straight back to the sign-in page", h)
		}
	}
}
