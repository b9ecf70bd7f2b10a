package synth

import (
	"fmt"
	"net/netip"
	"strings"
)

// TypeRules is what the engine and AWS do with one resource type when a
// stack changes: which input changes replace it, which inputs are sets
// (order does not matter), which names it holds while it exists, and what
// replacing or deleting it costs.
type TypeRules struct {
	// ReplaceOn are the inputs (Pulumi names; nested with dots, list
	// indexes left out) whose change replaces the resource: the
	// provider's ForceNew and RequiresReplace arguments, as the
	// hashicorp/aws v5.100.0 provider plans them (measured with
	// PlanResourceChange against the provider binary, one argument at a
	// time, and read in internal/service/<service>/<resource>.go).
	ReplaceOn []string
	// ReplaceWhen, when set, reports replacements the provider decides
	// from old and new values together (CustomizeDiff), or "".
	ReplaceWhen func(old, new Resource) string
	// FailOnChange are inputs the provider plans as an in-place update that
	// AWS then refuses, with why.
	FailOnChange map[string]string
	// Sets are the inputs whose order does not matter (set-typed in the
	// provider's schema).
	Sets []string
	// Claims are the names only one resource may hold at a time.
	Claims func(r Resource) []Claim
	// Loses, for a stateful resource, is what deleting or replacing it
	// destroys.
	Loses string
	// Refuse, when set, says why replacing or deleting it is refused and
	// what to do instead.
	Refuse string
	// DeletionProtected reports whether AWS refuses to delete it as
	// configured (deletion protection on).
	DeletionProtected func(r Resource) bool
}

// Claim is a unique name a resource holds: Key names the namespace and the
// name (a Route 53 record's zone, name and type), From the inputs it is
// computed from. A claim whose inputs come from a resource being replaced
// is a new name, never a collision. Prefix, when valid, is an address block
// that must not overlap another claim's block under the same Key.
type Claim struct {
	Key    string
	From   []string
	Prefix netip.Prefix
}

// Rules per pulumi-aws type token. A type the program registers that is
// missing here fails the day-2 check, so a new resource gets its rules.
var Rules = map[string]TypeRules{
	"aws:acm/certificate:Certificate": {
		ReplaceOn: []string{"domainName", "subjectAlternativeNames", "validationMethod", "keyAlgorithm", "certificateAuthorityArn", "validationOptions"},
		Sets:      []string{"subjectAlternativeNames"},
	},
	"aws:acm/certificateValidation:CertificateValidation": {
		ReplaceOn: []string{"certificateArn", "validationRecordFqdns"},
		Sets:      []string{"validationRecordFqdns"},
	},
	"aws:appautoscaling/policy:Policy": {
		ReplaceOn: []string{"name", "resourceId", "scalableDimension", "serviceNamespace"},
		Claims:    namedClaim("scaling policy", "name"),
	},
	"aws:appautoscaling/target:Target": {
		ReplaceOn: []string{"resourceId", "scalableDimension", "serviceNamespace"},
		Claims: func(r Resource) []Claim {
			return []Claim{{Key: fmt.Sprintf("the scalable target %v %v", r.Inputs["resourceId"], r.Inputs["scalableDimension"]), From: []string{"resourceId"}}}
		},
	},
	"aws:ecr/lifecyclePolicy:LifecyclePolicy": {
		ReplaceOn: []string{"repository", "policy"},
		Claims: func(r Resource) []Claim {
			return []Claim{{Key: fmt.Sprintf("the lifecycle policy of repository %v", r.Inputs["repository"]), From: []string{"repository"}}}
		},
	},
	"aws:ecr/repository:Repository": {
		ReplaceOn: []string{"name", "encryptionConfigurations"},
		Claims:    namedClaim("ECR repository", "name"),
		Loses:     "the repository and the images in it are deleted (the next deployment builds and pushes again)",
	},
	"aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": {
		ReplaceOn: []string{"clusterName"},
		Sets:      []string{"capacityProviders", "defaultCapacityProviderStrategies"},
		Claims: func(r Resource) []Claim {
			return []Claim{{Key: fmt.Sprintf("the capacity providers of cluster %v", r.Inputs["clusterName"]), From: []string{"clusterName"}}}
		},
	},
	"aws:s3/bucketV2:BucketV2": {
		ReplaceOn: []string{"bucket", "bucketPrefix", "objectLockEnabled"},
		Claims:    namedClaim("S3 bucket", "bucket"),
		Loses:     "the bucket and the access logs in it are deleted",
	},
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":                                     {ReplaceOn: []string{"bucket"}, Claims: perBucket("public access block")},
	"aws:s3/bucketOwnershipControls:BucketOwnershipControls":                                     {ReplaceOn: []string{"bucket"}, Claims: perBucket("ownership controls")},
	"aws:s3/bucketPolicy:BucketPolicy":                                                           {ReplaceOn: []string{"bucket"}, Claims: perBucket("bucket policy")},
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": {ReplaceOn: []string{"bucket", "expectedBucketOwner"}, Claims: perBucket("encryption configuration")},
	"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2":                       {ReplaceOn: []string{"bucket", "expectedBucketOwner"}, Claims: perBucket("lifecycle configuration")},
	"aws:wafv2/webAcl:WebAcl": {
		ReplaceOn: []string{"name", "namePrefix", "scope"},
		Claims:    namedClaim("web ACL", "name"),
	},
	"aws:wafv2/webAclAssociation:WebAclAssociation": {
		ReplaceOn: []string{"resourceArn", "webAclArn"},
		Claims: func(r Resource) []Claim {
			return []Claim{{Key: fmt.Sprintf("the web ACL of %v", r.Inputs["resourceArn"]), From: []string{"resourceArn"}}}
		},
	},
	"aws:cloudwatch/logGroup:LogGroup": {
		ReplaceOn: []string{"name", "namePrefix", "logGroupClass"},
		Claims:    namedClaim("log group", "name"),
		Loses:     "the log group and the logs in it are deleted",
	},
	"aws:cognito/userPool:UserPool": {
		ReplaceOn: []string{"name", "aliasAttributes", "usernameAttributes", "usernameConfiguration"},
		// Planned as an update, refused by Cognito when applied.
		FailOnChange: map[string]string{
			"schemas": "Cognito cannot change or remove an attribute a user pool already has (\"cannot modify or remove schema items\"): add new attributes only",
		},
		Sets:   []string{"aliasAttributes", "autoVerifiedAttributes", "usernameAttributes", "accountRecoverySetting.recoveryMechanisms", "schemas", "userAttributeUpdateSettings.attributesRequireVerificationBeforeUpdates"},
		Loses:  "every user's account (users, passwords, MFA devices) is deleted",
		Refuse: "the user pool holds every user's account and is never replaced or deleted by a configuration change. Undo the change that replaces it; to move users, export them and import them into a new pool in a new stack",
		DeletionProtected: func(r Resource) bool {
			return r.Inputs["deletionProtection"] == "ACTIVE"
		},
	},
	"aws:cognito/identityProvider:IdentityProvider": {
		ReplaceOn: []string{"userPoolId", "providerName", "providerType"},
		Claims: func(r Resource) []Claim {
			return []Claim{{Key: fmt.Sprintf("identity provider %v of user pool %v", r.Inputs["providerName"], r.Inputs["userPoolId"]), From: []string{"userPoolId", "providerName"}}}
		},
	},
	"aws:cognito/userGroup:UserGroup": {
		ReplaceOn: []string{"name", "userPoolId"},
		Claims: func(r Resource) []Claim {
			return []Claim{{Key: fmt.Sprintf("group %v of user pool %v", r.Inputs["name"], r.Inputs["userPoolId"]), From: []string{"userPoolId", "name"}}}
		},
		Loses: "the group and its membership (which users are in it) are deleted",
	},
	"aws:cognito/userPoolClient:UserPoolClient": {
		ReplaceOn: []string{"userPoolId", "generateSecret"},
		Sets:      []string{"allowedOauthFlows", "allowedOauthScopes", "callbackUrls", "explicitAuthFlows", "logoutUrls", "readAttributes", "supportedIdentityProviders", "writeAttributes"},
	},
	"aws:cognito/userPoolDomain:UserPoolDomain": {
		ReplaceOn: []string{"domain", "userPoolId"},
		// Between the prefix domain and a custom domain; a custom domain's
		// certificate changes in place.
		ReplaceWhen: func(old, new Resource) string {
			_, o := old.Inputs["certificateArn"]
			_, n := new.Inputs["certificateArn"]
			if o != n {
				return "it changes between a prefix and a custom domain"
			}
			return ""
		},
		Claims: func(r Resource) []Claim {
			domain := fmt.Sprint(r.Inputs["domain"])
			kind := "prefix"
			if _, custom := r.Inputs["certificateArn"]; custom {
				kind = "custom"
			}
			return []Claim{
				{Key: "Cognito domain " + domain, From: []string{"domain"}},
				{Key: fmt.Sprintf("the %s domain of user pool %v", kind, r.Inputs["userPoolId"]), From: []string{"userPoolId"}},
			}
		},
		Loses: "the sign-in domain is released and may be taken by another account",
	},
	"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": {
		ReplaceOn: []string{"vpcId"},
		Sets:      []string{"ingress", "egress"},
	},
	"aws:ec2/eip:Eip": {
		ReplaceOn: []string{"domain", "vpc", "address", "networkBorderGroup", "publicIpv4Pool", "ipamPoolId"},
		Loses:     "the public address is released",
	},
	"aws:ec2/flowLog:FlowLog": {
		ReplaceOn: []string{"vpcId", "subnetId", "eniId", "transitGatewayId", "transitGatewayAttachmentId", "trafficType", "logDestination", "logDestinationType", "logFormat", "iamRoleArn", "deliverCrossAccountRole", "maxAggregationInterval", "destinationOptions", "logGroupName"},
		Claims: func(r Resource) []Claim {
			return []Claim{{Key: fmt.Sprintf("flow log of %v (%v) to %v", r.Inputs["vpcId"], r.Inputs["trafficType"], r.Inputs["logDestination"]), From: []string{"vpcId", "logDestination"}}}
		},
	},
	"aws:ec2/internetGateway:InternetGateway": {
		Claims: func(r Resource) []Claim {
			return []Claim{{Key: fmt.Sprintf("the internet gateway of %v", r.Inputs["vpcId"]), From: []string{"vpcId"}}}
		},
	},
	"aws:ec2/natGateway:NatGateway": {
		ReplaceOn: []string{"allocationId", "connectivityType", "privateIp", "subnetId", "secondaryPrivateIpAddressCount"},
		Claims: func(r Resource) []Claim {
			return []Claim{{Key: fmt.Sprintf("the NAT gateway using address %v", r.Inputs["allocationId"]), From: []string{"allocationId"}}}
		},
	},
	"aws:ec2/route:Route": {
		ReplaceOn: []string{"routeTableId", "destinationCidrBlock", "destinationIpv6CidrBlock", "destinationPrefixListId"},
		Claims: func(r Resource) []Claim {
			return []Claim{{Key: fmt.Sprintf("the route to %v in %v", r.Inputs["destinationCidrBlock"], r.Inputs["routeTableId"]), From: []string{"routeTableId", "destinationCidrBlock"}}}
		},
	},
	"aws:ec2/routeTable:RouteTable": {
		ReplaceOn: []string{"vpcId"},
		Sets:      []string{"routes", "propagatingVgws"},
	},
	"aws:ec2/routeTableAssociation:RouteTableAssociation": {
		ReplaceOn: []string{"subnetId", "gatewayId"},
		Claims: func(r Resource) []Claim {
			return []Claim{{Key: fmt.Sprintf("the route table association of %v", r.Inputs["subnetId"]), From: []string{"subnetId"}}}
		},
	},
	"aws:ec2/securityGroup:SecurityGroup": {
		ReplaceOn: []string{"name", "namePrefix", "description", "vpcId"},
		Sets:      []string{"ingress", "egress", "ingress.securityGroups", "egress.securityGroups"},
		Claims:    namedClaim("security group", "name"),
	},
	"aws:ec2/subnet:Subnet": {
		ReplaceOn: []string{"vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId", "ipv6Native", "outpostArn"},
		Claims: func(r Resource) []Claim {
			p, err := netip.ParsePrefix(fmt.Sprint(r.Inputs["cidrBlock"]))
			if err != nil {
				return nil
			}
			return []Claim{{Key: fmt.Sprintf("the addresses of VPC %v", r.Inputs["vpcId"]), From: []string{"vpcId", "cidrBlock"}, Prefix: p}}
		},
	},
	"aws:ec2/vpc:Vpc": {
		ReplaceOn: []string{"cidrBlock", "instanceTenancy", "ipv4IpamPoolId", "ipv4NetmaskLength"},
		Loses:     "the VPC and everything in it (subnets, NAT gateways, the load balancer, the tasks) are deleted",
		Refuse:    "replacing the VPC replaces every subnet, security group and target group in it, and the load balancer cannot move to another VPC, so the update would fail half-way. Keep vpcCidr (and maxAvailabilityZones) as deployed; to move to another block, deploy a new stack and move your users and DNS to it",
	},
	"aws:ecs/cluster:Cluster": {
		ReplaceOn: []string{"name"},
		Sets:      []string{"settings"},
		Claims:    namedClaim("ECS cluster", "name"),
	},
	"aws:ecs/service:Service": {
		ReplaceOn: []string{"name", "cluster", "iamRole", "launchType", "schedulingStrategy", "deploymentController.type"},
		// A capacity provider strategy change replaces the service unless
		// forceNewDeployment is set and both strategies are non-empty.
		ReplaceWhen: func(old, new Resource) string {
			o, _ := old.Inputs["capacityProviderStrategies"].([]any)
			n, _ := new.Inputs["capacityProviderStrategies"].([]any)
			if fmt.Sprint(o) == fmt.Sprint(n) {
				return ""
			}
			if len(o) > 0 && len(n) > 0 && new.Inputs["forceNewDeployment"] == true {
				return ""
			}
			return "its capacity provider strategy changes (in place only between two strategies with forceNewDeployment)"
		},
		Sets: []string{"capacityProviderStrategies", "loadBalancers", "networkConfiguration.securityGroups", "networkConfiguration.subnets", "placementConstraints"},
		Claims: func(r Resource) []Claim {
			if _, named := r.Inputs["name"]; !named {
				return nil // auto-named: a replacement gets a new name
			}
			return []Claim{{Key: fmt.Sprintf("ECS service %v in %v", r.Inputs["name"], r.Inputs["cluster"]), From: []string{"name", "cluster"}}}
		},
	},
	"aws:ecs/taskDefinition:TaskDefinition": {
		// Every change registers a new revision.
		ReplaceOn: []string{"family", "containerDefinitions", "cpu", "memory", "executionRoleArn", "taskRoleArn", "networkMode", "requiresCompatibilities", "runtimePlatform", "volumes", "ephemeralStorage", "ipcMode", "pidMode", "placementConstraints", "proxyConfiguration", "inferenceAccelerators", "enableFaultInjection"},
		Sets:      []string{"requiresCompatibilities", "volumes", "placementConstraints", "inferenceAccelerators"},
	},
	"aws:iam/role:Role": {
		ReplaceOn: []string{"name", "namePrefix", "path"},
		Sets:      []string{"managedPolicyArns", "inlinePolicies"},
		Claims:    namedClaim("IAM role", "name"),
	},
	"aws:iam/rolePolicy:RolePolicy": {
		ReplaceOn: []string{"name", "namePrefix", "role"},
		Claims: func(r Resource) []Claim {
			if _, named := r.Inputs["name"]; !named {
				return nil
			}
			return []Claim{{Key: fmt.Sprintf("role policy %v of %v", r.Inputs["name"], r.Inputs["role"]), From: []string{"name", "role"}}}
		},
	},
	"aws:lb/listener:Listener": {
		ReplaceOn: []string{"loadBalancerArn"},
		Claims: func(r Resource) []Claim {
			return []Claim{{Key: fmt.Sprintf("port %v of load balancer %v", r.Inputs["port"], r.Inputs["loadBalancerArn"]), From: []string{"loadBalancerArn", "port"}}}
		},
	},
	"aws:lb/listenerRule:ListenerRule": {
		// The priority changes in place (SetRulePriorities): a rule may not
		// move onto a priority another rule still holds.
		ReplaceOn: []string{"listenerArn"},
		Sets:      []string{"conditions", "conditions.hostHeader.values", "conditions.pathPattern.values", "conditions.httpHeader.values", "conditions.httpRequestMethod.values", "conditions.sourceIp.values", "conditions.queryStrings"},
		Claims: func(r Resource) []Claim {
			return []Claim{{Key: fmt.Sprintf("priority %v on listener %v", r.Inputs["priority"], r.Inputs["listenerArn"]), From: []string{"listenerArn", "priority"}}}
		},
	},
	"aws:lb/loadBalancer:LoadBalancer": {
		ReplaceOn: []string{"name", "namePrefix", "internal", "loadBalancerType", "customerOwnedIpv4Pool"},
		Sets:      []string{"securityGroups", "subnets", "subnetMappings"},
		Claims:    namedClaim("load balancer", "name"),
		Loses:     "the load balancer and its DNS name are deleted; the site is down until DNS follows",
		DeletionProtected: func(r Resource) bool {
			return r.Inputs["enableDeletionProtection"] == true
		},
	},
	"aws:lb/targetGroup:TargetGroup": {
		ReplaceOn: []string{"name", "namePrefix", "port", "protocol", "protocolVersion", "targetType", "vpcId", "ipAddressType"},
		Claims:    namedClaim("target group", "name"),
	},
	"aws:route53/record:Record": {
		// The name is compared lower-cased without the trailing dot; type,
		// records and alias change in place.
		ReplaceOn: []string{"zoneId", "name"},
		Sets:      []string{"records"},
		Claims: func(r Resource) []Claim {
			name := strings.ToLower(strings.TrimSuffix(fmt.Sprint(r.Inputs["name"]), "."))
			return []Claim{{Key: fmt.Sprintf("record %s %v in zone %v", name, r.Inputs["type"], r.Inputs["zoneId"]), From: []string{"zoneId", "name", "type"}}}
		},
	},
}

// namedClaim: a resource with an explicit name holds it (Pulumi gives an
// auto-named one a fresh name on replacement, so it holds nothing).
func namedClaim(what, input string) func(r Resource) []Claim {
	return func(r Resource) []Claim {
		if _, named := r.Inputs[input]; !named {
			return nil
		}
		return []Claim{{Key: fmt.Sprintf("%s name %v", what, r.Inputs[input]), From: []string{input}}}
	}
}

// perBucket: the one configuration of its kind a bucket has.
func perBucket(what string) func(r Resource) []Claim {
	return func(r Resource) []Claim {
		return []Claim{{Key: fmt.Sprintf("the %s of bucket %v", what, r.Inputs["bucket"]), From: []string{"bucket"}}}
	}
}
