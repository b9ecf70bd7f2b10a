package edge

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// newSecurityGroup is the load balancer's security group. The ALB takes
// HTTP and HTTPS from anyone. Outbound it needs 443 to the internet,
// because the ALB itself calls Cognito's token and userInfo endpoints
// (without it: HTTP 500 after sign-in), and the container port inside the
// VPC to reach the tasks.
func newSecurityGroup(ctx *pulumi.Context, name string, a Args, parent pulumi.ResourceOption) (*ec2.SecurityGroup, error) {
	return ec2.NewSecurityGroup(ctx, name+"-alb-sg", &ec2.SecurityGroupArgs{
		Description: pulumi.String("Load balancer: HTTP/HTTPS from the internet; HTTPS to Cognito; the container port to the tasks"),
		VpcId:       a.VpcID,
		Ingress: ec2.SecurityGroupIngressArray{
			ingress(80, "HTTP from the internet, redirected to HTTPS"),
			ingress(443, "HTTPS from the internet"),
		},
		Egress: ec2.SecurityGroupEgressArray{
			&ec2.SecurityGroupEgressArgs{
				Description: pulumi.String("HTTPS to the Cognito token and userInfo endpoints"),
				Protocol:    pulumi.String("tcp"), FromPort: pulumi.Int(443), ToPort: pulumi.Int(443),
				CidrBlocks: pulumi.StringArray{pulumi.String("0.0.0.0/0")},
			},
			&ec2.SecurityGroupEgressArgs{
				Description: pulumi.String("The container port, to the tasks in the VPC"),
				Protocol:    pulumi.String("tcp"), FromPort: pulumi.Int(a.ContainerPort), ToPort: pulumi.Int(a.ContainerPort),
				CidrBlocks: pulumi.StringArray{a.VpcCidr},
			},
		},
	}, parent)
}

func ingress(port int, description string) *ec2.SecurityGroupIngressArgs {
	return &ec2.SecurityGroupIngressArgs{
		Description: pulumi.String(description),
		Protocol:    pulumi.String("tcp"), FromPort: pulumi.Int(port), ToPort: pulumi.Int(port),
		CidrBlocks: pulumi.StringArray{pulumi.String("0.0.0.0/0")},
	}
}
