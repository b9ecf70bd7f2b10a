package tfcheck

// terraformTypes maps each pulumi-aws resource token the program registers to
// the Terraform resource type it bridges (pulumi-aws's provider/resources.go
// makes the same mapping). A custom resource whose type is not here is
// reported as unmapped, so a resource added to the program without an entry
// fails the check instead of escaping it; the tests also require every entry
// to exist in the provider's schema.
var terraformTypes = map[string]string{
	"aws:acm/certificate:Certificate":                                      "aws_acm_certificate",
	"aws:appautoscaling/policy:Policy":                                     "aws_appautoscaling_policy",
	"aws:appautoscaling/target:Target":                                     "aws_appautoscaling_target",
	"aws:acm/certificateValidation:CertificateValidation":                  "aws_acm_certificate_validation",
	"aws:cloudwatch/logGroup:LogGroup":                                     "aws_cloudwatch_log_group",
	"aws:cognito/identityProvider:IdentityProvider":                        "aws_cognito_identity_provider",
	"aws:cognito/userGroup:UserGroup":                                      "aws_cognito_user_group",
	"aws:cognito/userPool:UserPool":                                        "aws_cognito_user_pool",
	"aws:cognito/userPoolClient:UserPoolClient":                            "aws_cognito_user_pool_client",
	"aws:cognito/userPoolDomain:UserPoolDomain":                            "aws_cognito_user_pool_domain",
	"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":                    "aws_default_security_group",
	"aws:ec2/eip:Eip":                                                      "aws_eip",
	"aws:ec2/flowLog:FlowLog":                                              "aws_flow_log",
	"aws:ec2/internetGateway:InternetGateway":                              "aws_internet_gateway",
	"aws:ec2/natGateway:NatGateway":                                        "aws_nat_gateway",
	"aws:ec2/route:Route":                                                  "aws_route",
	"aws:ec2/routeTable:RouteTable":                                        "aws_route_table",
	"aws:ec2/routeTableAssociation:RouteTableAssociation":                  "aws_route_table_association",
	"aws:ec2/securityGroup:SecurityGroup":                                  "aws_security_group",
	"aws:ec2/subnet:Subnet":                                                "aws_subnet",
	"aws:ec2/vpc:Vpc":                                                      "aws_vpc",
	"aws:ecr/lifecyclePolicy:LifecyclePolicy":                              "aws_ecr_lifecycle_policy",
	"aws:ecr/repository:Repository":                                        "aws_ecr_repository",
	"aws:ecs/cluster:Cluster":                                              "aws_ecs_cluster",
	"aws:ecs/clusterCapacityProviders:ClusterCapacityProviders":            "aws_ecs_cluster_capacity_providers",
	"aws:ecs/service:Service":                                              "aws_ecs_service",
	"aws:ecs/taskDefinition:TaskDefinition":                                "aws_ecs_task_definition",
	"aws:iam/role:Role":                                                    "aws_iam_role",
	"aws:iam/rolePolicy:RolePolicy":                                        "aws_iam_role_policy",
	"aws:lb/listener:Listener":                                             "aws_lb_listener",
	"aws:lb/listenerRule:ListenerRule":                                     "aws_lb_listener_rule",
	"aws:lb/loadBalancer:LoadBalancer":                                     "aws_lb",
	"aws:lb/targetGroup:TargetGroup":                                       "aws_lb_target_group",
	"aws:route53/record:Record":                                            "aws_route53_record",
	"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2": "aws_s3_bucket_lifecycle_configuration",
	"aws:s3/bucketOwnershipControls:BucketOwnershipControls":               "aws_s3_bucket_ownership_controls",
	"aws:s3/bucketPolicy:BucketPolicy":                                     "aws_s3_bucket_policy",
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":               "aws_s3_bucket_public_access_block",
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": "aws_s3_bucket_server_side_encryption_configuration",
	"aws:s3/bucketV2:BucketV2":                      "aws_s3_bucket",
	"aws:wafv2/webAcl:WebAcl":                       "aws_wafv2_web_acl",
	"aws:wafv2/webAclAssociation:WebAclAssociation": "aws_wafv2_web_acl_association",
}

// TerraformType returns the Terraform resource type of a pulumi-aws token.
func TerraformType(token string) (string, bool) {
	t, ok := terraformTypes[token]
	return t, ok
}

// KnownTokens lists the pulumi-aws tokens the check can convert.
func KnownTokens() []string {
	out := make([]string, 0, len(terraformTypes))
	for k := range terraformTypes {
		out = append(out, k)
	}
	return out
}

// Components the check cannot look into, and why. They are Pulumi component
// resources (multi-language components): under the recording mock nothing
// inside them is registered, so there is nothing to convert. Any other
// non-aws resource type fails the check.
var outOfReach = map[string]string{
	"awsx:ecr:Image": "awsx component (a docker build and push; no AWS resource of its own)",
}
