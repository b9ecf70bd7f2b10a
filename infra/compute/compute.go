// Package compute runs the team's container on ECS Fargate in the private
// subnets, reachable only from the load balancer.
package compute

import (
	"errors"

	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Type is the component's type token.
const Type = "alb-cognito-fargate:compute:Compute"

// ContainerName is the name of the app container in the task definition.
const ContainerName = "app"

// Args configures the service. Values wired from other components are
// Inputs; the rest are plain, validated by infra/config; none has a default
// here.
type Args struct {
	VpcID            pulumi.StringInput      // required
	PrivateSubnetIds pulumi.StringArrayInput // required: tasks run here, without public IPs
	// AlbSecurityGroupID is the only source the tasks accept traffic from. Required.
	AlbSecurityGroupID pulumi.StringInput
	TargetGroupArn     pulumi.StringInput // required
	// DependsOn are the listener rules that attach the target group to the
	// load balancer; ECS rejects a service whose target group has none.
	DependsOn []pulumi.Resource

	// Region is where the container ships its logs.
	Region string
	// Family is the task definition family, a stable physical name.
	Family string

	// Image is the container image; required unless BuildContext is set.
	Image string
	// BuildContext, when set, is a directory with a Dockerfile: the image is
	// built from it and pushed to a new ECR repository (Docker needed at
	// deploy time), and used instead of Image (image.go).
	BuildContext  string
	ContainerPort int
	CPU           int // CPU units
	Memory        int // MiB
	DesiredCount  int
	Environment   map[string]string
	// StackEnvironment are variables whose values come from other
	// components (the ALB's ARN, the Cognito client, ...).
	StackEnvironment pulumi.StringMap
	// ReadOnlyRootFilesystem (Security Hub ECS.5); WritablePaths become
	// task-local volumes so the container can still write there.
	ReadOnlyRootFilesystem bool
	WritablePaths          []string
	// LogRetentionDays for the container's log group; LogsKmsKeyArn
	// encrypts it (nil: AWS's own encryption).
	LogRetentionDays int
	LogsKmsKeyArn    pulumi.StringInput

	// ImageTag tags the image built from BuildContext (see ContextTag);
	// ImageRetention is how many images its repository keeps.
	ImageTag       string
	ImageRetention int
	// Capacity is where tasks run (capacity.go); OnDemandBase applies to
	// mixed.
	Capacity     config.Capacity
	OnDemandBase int
	// Exec turns on ECS Exec, a shell in a running task (exec.go).
	Exec bool
	// Secrets are container variables ECS reads from SSM Parameter Store or
	// Secrets Manager (secrets.go); SecretsKmsKey, when set, is the
	// customer managed key that encrypts them; AccountID fills "{account}"
	// in their resources.
	Secrets       []config.SecretRef
	SecretsKmsKey string
	AccountID     pulumi.StringInput
	// MinCount and MaxCount, when set, scale the service (scaling.go) on
	// CPU and on requests per task, counted under RequestCountLabel.
	MinCount, MaxCount int
	RequestCountLabel  pulumi.StringInput
}

// Compute is the cluster, task definition and service.
type Compute struct {
	pulumi.ResourceState

	ClusterName         pulumi.StringOutput `pulumi:"clusterName"`
	ClusterArn          pulumi.StringOutput `pulumi:"clusterArn"`
	ServiceName         pulumi.StringOutput `pulumi:"serviceName"`
	TaskDefinitionArn   pulumi.StringOutput `pulumi:"taskDefinitionArn"`
	LogGroupName        pulumi.StringOutput `pulumi:"logGroupName"`
	TaskSecurityGroupID pulumi.StringOutput `pulumi:"taskSecurityGroupId"`
}

// NewCompute creates the cluster, roles, task definition and service.
func NewCompute(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Compute, error) {
	if args == nil {
		return nil, errors.New("compute: args are required")
	}
	a := *args
	switch {
	case a.VpcID == nil || a.PrivateSubnetIds == nil || a.AlbSecurityGroupID == nil || a.TargetGroupArn == nil:
		return nil, errors.New("compute: VpcId, PrivateSubnetIds, AlbSecurityGroupId and TargetGroupArn are required")
	case len(a.DependsOn) == 0:
		return nil, errors.New("compute: DependsOn must hold the listener rules that forward to the target group")
	case a.Region == "" || a.Family == "" || (a.Image == "" && a.BuildContext == ""):
		return nil, errors.New("compute: Region, Family, and Image or BuildContext are required")
	case a.BuildContext != "" && a.ImageTag == "":
		return nil, errors.New("compute: BuildContext needs ImageTag")
	case a.AccountID == nil:
		return nil, errors.New("compute: AccountId is required")
	case a.MinCount > 0 && (a.MaxCount < a.MinCount || a.RequestCountLabel == nil):
		return nil, errors.New("compute: scaling needs MinCount <= MaxCount and RequestCountLabel")
	}

	c := &Compute{}
	if err := ctx.RegisterComponentResource(Type, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)

	cluster, capacity, err := newCluster(ctx, name, parent)
	if err != nil {
		return nil, err
	}
	image := pulumi.String(a.Image).ToStringOutput()
	if a.BuildContext != "" {
		if image, err = newImage(ctx, name, a.BuildContext, a.ImageTag, a.ImageRetention, c, parent); err != nil {
			return nil, err
		}
	}
	logs, err := newLogGroup(ctx, name, a.LogRetentionDays, a.LogsKmsKeyArn, parent)
	if err != nil {
		return nil, err
	}
	roles, err := newRoles(ctx, name, a, logs, parent)
	if err != nil {
		return nil, err
	}
	taskDef, err := newTaskDefinition(ctx, name, a, image, logs, roles, parent)
	if err != nil {
		return nil, err
	}
	taskSg, err := newTaskSecurityGroup(ctx, name, a, parent)
	if err != nil {
		return nil, err
	}
	svc, err := newService(ctx, name, a, cluster, capacity, taskDef, taskSg, parent)
	if err != nil {
		return nil, err
	}
	if a.MinCount > 0 {
		if err := newScaling(ctx, name, cluster, svc, a.MinCount, a.MaxCount, a.RequestCountLabel, parent); err != nil {
			return nil, err
		}
	}

	c.ClusterName = cluster.Name
	c.ClusterArn = cluster.Arn
	c.ServiceName = svc.Name
	c.TaskDefinitionArn = taskDef.Arn
	c.LogGroupName = logs.Name
	c.TaskSecurityGroupID = taskSg.ID().ToStringOutput()
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"clusterName":         c.ClusterName,
		"clusterArn":          c.ClusterArn,
		"serviceName":         c.ServiceName,
		"taskDefinitionArn":   c.TaskDefinitionArn,
		"logGroupName":        c.LogGroupName,
		"taskSecurityGroupId": c.TaskSecurityGroupID,
	}); err != nil {
		return nil, err
	}
	return c, nil
}
