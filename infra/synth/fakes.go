package synth

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/example/alb-cognito-fargate/infra/regions"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Account is the AWS account id in every fake ARN.
const Account = "123456789012"

// albZoneIDs are the real Route 53 zone ids of ALBs in a few regions; alias
// records point at them.
var albZoneIDs = map[string]string{
	"us-east-1":    "Z35SXDOTRQ7X7K",
	"us-east-2":    "Z3AADJGX6KTTL2",
	"us-west-2":    "Z1H1FL5HABSF5",
	"eu-west-1":    "Z32O12XQLNTSW2",
	"eu-central-1": "Z215JYRZR1TBD5",
}

// fakeOutputs answers a registration the way AWS and the providers would:
// the inputs, plus the identifiers and attributes they compute. Values are
// derived from the URN, so they are stable run to run.
func fakeOutputs(region, typ, name, urn string, inputs resource.PropertyMap) (string, resource.PropertyMap) {
	out := inputs.Copy()
	set := func(k string, v any) { out[resource.PropertyKey(k)] = resource.NewPropertyValue(v) }
	h := func(label string, n int) string { return hexOf(urn+"/"+label, n) }
	physical := str(inputs, "name")
	if physical == "" {
		physical = name + "-" + h("name", 7) // Pulumi's auto-naming
	}
	arnPrefix := func(service string) string {
		return fmt.Sprintf("arn:aws:%s:%s:%s:", service, region, Account)
	}

	id := h("id", 17)
	switch typ {
	case "awsx:ec2:Vpc":
		n := 3 // awsx's default
		if v, ok := inputs["numberOfAvailabilityZones"]; ok && v.IsNumber() {
			n = int(v.NumberValue())
		}
		subnets := func(kind string) []any {
			ids := make([]any, n)
			for i := range ids {
				ids[i] = "subnet-0" + h(fmt.Sprintf("%s-%d", kind, i), 16)
			}
			return ids
		}
		id = ""
		set("vpcId", "vpc-0"+h("vpc", 16))
		set("publicSubnetIds", subnets("public"))
		set("privateSubnetIds", subnets("private"))
		set("isolatedSubnetIds", []any{})
	case "awsx:ecr:Repository":
		id = ""
		set("url", fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/%s", Account, region, strings.ToLower(physical)))
	case "awsx:ecr:Image":
		id = ""
		set("imageUri", str(inputs, "repositoryUrl")+"@sha256:"+h("digest", 64))
	case "aws:ec2/vpc:Vpc":
		id = "vpc-0" + h("id", 16)
		if legacy := awsxLegacyID(typ, urn); legacy != "" {
			id = legacy
		}
		set("arn", arnPrefix("ec2")+"vpc/"+id)
		set("defaultSecurityGroupId", "sg-0"+h("default-sg", 16))
		set("mainRouteTableId", "rtb-0"+h("main-rtb", 16))
	case "aws:ec2/subnet:Subnet":
		id = "subnet-0" + h("id", 16)
		if legacy := awsxLegacyID(typ, urn); legacy != "" {
			id = legacy
		}
		set("arn", arnPrefix("ec2")+"subnet/"+id)
	case "aws:ec2/internetGateway:InternetGateway":
		id = "igw-0" + h("id", 16)
		set("arn", arnPrefix("ec2")+"internet-gateway/"+id)
	case "aws:ec2/eip:Eip":
		id = "eipalloc-0" + h("id", 16)
		set("allocationId", id)
		set("publicIp", fmt.Sprintf("203.0.113.%d", 1+int(hexOf(urn+"/ip", 2)[0])%250))
		set("domain", "vpc")
	case "aws:ec2/natGateway:NatGateway":
		id = "nat-0" + h("id", 16)
	case "aws:ec2/routeTable:RouteTable":
		id = "rtb-0" + h("id", 16)
		set("arn", arnPrefix("ec2")+"route-table/"+id)
	case "aws:ec2/route:Route":
		id = "r-" + str(inputs, "routeTableId") + "1080289494"
	case "aws:ec2/routeTableAssociation:RouteTableAssociation":
		id = "rtbassoc-0" + h("id", 16)
	case "aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":
		id = "sg-0" + h("id", 16)
		set("arn", arnPrefix("ec2")+"security-group/"+id)
	case "aws:ec2/flowLog:FlowLog":
		id = "fl-0" + h("id", 16)
	case "aws:lb/loadBalancer:LoadBalancer":
		suffix := "app/" + physical + "/" + h("arn", 16)
		id = arnPrefix("elasticloadbalancing") + "loadbalancer/" + suffix
		set("arn", id)
		set("arnSuffix", suffix)
		set("name", physical)
		set("dnsName", fmt.Sprintf("%s-%s.%s.elb.amazonaws.com", physical, digitsOf(urn, 10), region))
		zone, ok := albZoneIDs[region]
		if !ok {
			zone = albZoneIDs["us-east-1"]
		}
		set("zoneId", zone)
	case "aws:lb/targetGroup:TargetGroup":
		suffix := "targetgroup/" + physical + "/" + h("arn", 16)
		id = arnPrefix("elasticloadbalancing") + suffix
		set("arn", id)
		set("arnSuffix", suffix)
		set("name", physical)
	case "aws:lb/listener:Listener":
		id = arnPrefix("elasticloadbalancing") + "listener/app/" + name + "/" + h("lb", 16) + "/" + h("arn", 16)
		set("arn", id)
	case "aws:lb/listenerRule:ListenerRule":
		id = arnPrefix("elasticloadbalancing") + "listener-rule/app/" + name + "/" + h("lb", 16) + "/" + h("arn", 16)
		set("arn", id)
	case "aws:acm/certificate:Certificate":
		id = arnPrefix("acm") + "certificate/" + uuidOf(urn)
		set("arn", id)
		set("status", "PENDING_VALIDATION")
		set("domainValidationOptions", validationOptions(inputs))
	case "aws:acm/certificateValidation:CertificateValidation":
		id = "2026-01-01 00:00:00 +0000 UTC"
	case "aws:route53/record:Record":
		fqdn := strings.TrimSuffix(str(inputs, "name"), ".")
		id = fmt.Sprintf("%s_%s_%s", str(inputs, "zoneId"), fqdn, str(inputs, "type"))
		set("fqdn", fqdn)
	case "aws:cognito/userPool:UserPool":
		id = region + "_" + alnumOf(urn, 9)
		set("arn", arnPrefix("cognito-idp")+"userpool/"+id)
		set("endpoint", "cognito-idp."+region+".amazonaws.com/"+id)
	case "aws:cognito/userPoolClient:UserPoolClient":
		id = strings.ToLower(alnumOf(urn, 26))
		out["clientSecret"] = resource.MakeSecret(resource.NewStringProperty(h("secret", 51)))
	case "aws:cognito/userPoolDomain:UserPoolDomain":
		id = str(inputs, "domain")
		set("cloudfrontDistribution", "d"+h("cf", 13)+".cloudfront.net")
		set("cloudfrontDistributionZoneId", "Z2FDTNDATAQYW2") // CloudFront's alias zone
		set("awsAccountId", Account)
	case "aws:cognito/userGroup:UserGroup":
		id = str(inputs, "userPoolId") + "/" + str(inputs, "name")
	case "aws:cognito/identityProvider:IdentityProvider":
		id = str(inputs, "userPoolId") + ":" + str(inputs, "providerName")
	case "pulumi:providers:aws":
		id = uuidOf(urn)
	case "aws:ecs/cluster:Cluster":
		id = arnPrefix("ecs") + "cluster/" + physical
		set("arn", id)
		set("name", physical)
	case "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders":
		id = str(inputs, "clusterName")
	case "aws:ecr/repository:Repository":
		repo := strings.ToLower(physical)
		id = repo
		set("name", repo)
		set("arn", arnPrefix("ecr")+"repository/"+repo)
		set("registryId", Account)
		set("repositoryUrl", fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/%s", Account, region, repo))
	case "aws:ecr/lifecyclePolicy:LifecyclePolicy":
		id = str(inputs, "repository")
		set("registryId", Account)
	case "aws:appautoscaling/target:Target":
		id = str(inputs, "resourceId")
		set("arn", arnPrefix("application-autoscaling")+"scalable-target/"+h("arn", 36))
	case "aws:appautoscaling/policy:Policy":
		id = physical
		set("name", physical)
		set("arn", arnPrefix("autoscaling")+"scalingPolicy:"+uuidOf(urn)+":resource/ecs/"+str(inputs, "resourceId")+":policyName/"+physical)
	case "aws:s3/bucketV2:BucketV2":
		bucket := str(inputs, "bucket")
		if bucket == "" {
			bucket = strings.ToLower(name) + "-" + h("name", 7)
		}
		id = bucket
		set("bucket", bucket)
		set("arn", "arn:aws:s3:::"+bucket)
		set("bucketDomainName", bucket+".s3.amazonaws.com")
		set("region", region)
	case "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
		"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
		"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "aws:s3/bucketPolicy:BucketPolicy":
		id = str(inputs, "bucket")
	case "aws:wafv2/webAcl:WebAcl":
		id = uuidOf(urn)
		set("name", physical)
		set("arn", arnPrefix("wafv2")+"regional/webacl/"+physical+"/"+id)
		set("capacity", 927)
	case "aws:wafv2/webAclAssociation:WebAclAssociation":
		id = str(inputs, "webAclArn") + "," + str(inputs, "resourceArn")
	case "aws:ecs/taskDefinition:TaskDefinition":
		family := str(inputs, "family")
		id = family
		set("arn", arnPrefix("ecs")+"task-definition/"+family+":1")
		set("revision", 1)
	case "aws:ecs/service:Service":
		id = arnPrefix("ecs") + "service/" + physical
		set("name", physical)
	case "aws:cloudwatch/logGroup:LogGroup":
		id = physical
		set("name", physical)
		set("arn", arnPrefix("logs")+"log-group:"+physical)
	case "aws:iam/role:Role":
		id = physical
		set("name", physical)
		set("arn", fmt.Sprintf("arn:aws:iam::%s:role/%s", Account, physical))
	case "aws:iam/rolePolicy:RolePolicy":
		id = str(inputs, "role") + ":" + physical
	}
	return id, out
}

// awsxLegacyID: stacks deployed with earlier versions got their VPC from
// the awsx component, whose vpcId and subnet ids this mock derived from the
// component's URN. A VPC or subnet aliased to awsx's child (seed is that
// child's URN) answers with the same id, as the real VPC and subnets keep
// theirs when their state moves.
func awsxLegacyID(typ, seed string) string {
	const marker = "$awsx:ec2:Vpc$aws:ec2/vpc:Vpc"
	i := strings.Index(seed, marker)
	if i < 0 {
		return ""
	}
	name := resource.URN(seed).Name()
	component := func(vpcName string) string { return seed[:i] + "$awsx:ec2:Vpc::" + vpcName }
	switch typ {
	case "aws:ec2/vpc:Vpc":
		return "vpc-0" + hexOf(component(name)+"/vpc", 16)
	case "aws:ec2/subnet:Subnet":
		for _, kind := range []string{"public", "private"} {
			if j := strings.LastIndex(name, "-"+kind+"-"); j > 0 {
				k, err := strconv.Atoi(name[j+len(kind)+2:])
				if err != nil {
					return ""
				}
				return "subnet-0" + hexOf(component(name[:j])+"/"+fmt.Sprintf("%s-%d", kind, k-1), 16)
			}
		}
	}
	return ""
}

// validationOptions returns one DNS validation record per certificate name,
// sorted by name the way ACM returns a set, not in request order.
func validationOptions(inputs resource.PropertyMap) []any {
	names := []string{str(inputs, "domainName")}
	if v, ok := inputs["subjectAlternativeNames"]; ok && v.IsArray() {
		for _, e := range v.ArrayValue() {
			if e.IsString() {
				names = append(names, e.StringValue())
			}
		}
	}
	sort.Strings(names)
	opts := make([]any, 0, len(names))
	for _, n := range names {
		opts = append(opts, map[string]any{
			"domainName":          n,
			"resourceRecordName":  "_" + hexOf("name/"+n, 32) + "." + n + ".",
			"resourceRecordType":  "CNAME",
			"resourceRecordValue": "_" + hexOf("value/"+n, 32) + "." + hexOf("v2/"+n, 10) + ".acm-validations.aws.",
		})
	}
	return opts
}

// fakeInvoke answers the data source lookups the program makes.
func fakeInvoke(region, token string, args resource.PropertyMap) (resource.PropertyMap, error) {
	switch token {
	case "aws:index/getAvailabilityZones:getAvailabilityZones":
		names, ids := regions.ZoneNames(region)
		excluded := map[string]bool{}
		for _, key := range []string{"excludeNames", "excludeZoneIds"} {
			if v, ok := args[resource.PropertyKey(key)]; ok && v.IsArray() {
				for _, e := range v.ArrayValue() {
					excluded[e.StringValue()] = true
				}
			}
		}
		var keptNames, keptIDs []any
		for i := range names {
			if !excluded[names[i]] && !excluded[ids[i]] {
				keptNames, keptIDs = append(keptNames, names[i]), append(keptIDs, ids[i])
			}
		}
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": region, "names": keptNames, "zoneIds": keptIDs, "groupNames": []any{region},
		}), nil
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": Account, "accountId": Account, "arn": "arn:aws:iam::" + Account + ":user/deployer", "userId": "AIDAEXAMPLE",
		}), nil
	case "aws:route53/getZone:getZone":
		name := strings.TrimSuffix(str(args, "name"), ".")
		zone := "Z0" + strings.ToUpper(hexOf("zone/"+name, 18))
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": zone, "zoneId": zone, "name": name, "privateZone": false,
		}), nil
	}
	return nil, fmt.Errorf("synth: no mock answer for the provider function %s; add one to infra/synth/fakes.go", token)
}

func str(m resource.PropertyMap, k string) string {
	if v, ok := m[resource.PropertyKey(k)]; ok && v.IsString() {
		return v.StringValue()
	}
	return ""
}

func hexOf(seed string, n int) string {
	var s string
	for i := 0; len(s) < n; i++ {
		sum := sha256.Sum256([]byte(fmt.Sprintf("%s#%d", seed, i)))
		s += hex.EncodeToString(sum[:])
	}
	return s[:n]
}

func digitsOf(seed string, n int) string {
	v := new(big.Int).SetBytes([]byte(hexOf(seed, 32)))
	return fmt.Sprintf("%0*s", n, v.String())[:n]
}

func alnumOf(seed string, n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	h := hexOf(seed, 2*n)
	out := make([]byte, n)
	for i := range out {
		b, _ := hex.DecodeString(h[2*i : 2*i+2])
		out[i] = alphabet[int(b[0])%len(alphabet)]
	}
	return string(out)
}

func uuidOf(seed string) string {
	h := hexOf(seed, 32)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
