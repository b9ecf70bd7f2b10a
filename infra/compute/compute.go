// Package compute runs the team's container on ECS Fargate in the private
// subnets, reachable only from the load balancer.
package compute

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Type is the component's type token.
const Type = "alb-cognito-fargate:compute:Compute"

// ContainerName is the name of the app container in the task definition.
const ContainerName = "app"

// Args configures the service.
type Args struct {
	VpcId            pulumi.StringInput      // required
	PrivateSubnetIds pulumi.StringArrayInput // required: tasks run here, without public IPs
	// AlbSecurityGroupId is the only source the tasks accept traffic from. Required.
	AlbSecurityGroupId pulumi.StringInput
	TargetGroupArn     pulumi.StringInput // required
	// DependsOn are the listener rules that attach the target group to the
	// load balancer; ECS rejects a service whose target group has none.
	DependsOn []pulumi.Resource

	// Region is where the container ships its logs. Required.
	Region string
	// Family is the task definition family, a stable physical name. Required.
	Family string

	// Image is the container image; required unless BuildContext is set.
	Image string
	// BuildContext, when set, is a directory with a Dockerfile: the image is
	// built from it and pushed to a new ECR repository (Docker needed at
	// deploy time), and used instead of Image.
	BuildContext  string
	ContainerPort int // default 80
	Cpu           int // default 256
	Memory        int // default 512
	DesiredCount  int // default 2
	Environment   map[string]string
	// StackEnvironment are variables whose values come from other
	// components (the ALB's ARN, the Cognito client, ...).
	StackEnvironment pulumi.StringMap
	// ReadOnlyRootFilesystem (Security Hub ECS.5); WritablePaths become
	// task-local volumes so the container can still write there.
	ReadOnlyRootFilesystem bool
	WritablePaths          []string
	// LogRetentionDays for the container's log group. Default 30.
	LogRetentionDays int

	// ImageTag tags the image built from BuildContext (see ContextTag);
	// ImageRetention is how many images its repository keeps. Default 10.
	ImageTag       string
	ImageRetention int
	// Capacity: fargate (on demand), spot, or mixed (OnDemandBase tasks on
	// demand, the rest on Spot). Default fargate.
	Capacity     string
	OnDemandBase int
	// Exec turns on ECS Exec (a shell in a running task). Default false.
	Exec bool
	// Secrets are container variables ECS reads from SSM Parameter Store or
	// Secrets Manager (secrets.go); SecretsKmsKey, when set, is the
	// customer managed key that encrypts them; AccountId fills "{account}"
	// in their resources.
	Secrets       []Secret
	SecretsKmsKey string
	AccountId     pulumi.StringInput
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
	TaskSecurityGroupId pulumi.StringOutput `pulumi:"taskSecurityGroupId"`
}

// NewCompute creates the cluster, roles, task definition and service.
func NewCompute(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Compute, error) {
	if args == nil {
		return nil, errors.New("compute: args are required")
	}
	a := *args
	if a.ContainerPort == 0 {
		a.ContainerPort = 80
	}
	if a.Cpu == 0 {
		a.Cpu, a.Memory = 256, 512
	}
	if a.DesiredCount == 0 {
		a.DesiredCount = 2
	}
	if a.LogRetentionDays == 0 {
		a.LogRetentionDays = 30
	}
	switch {
	case a.VpcId == nil || a.PrivateSubnetIds == nil || a.AlbSecurityGroupId == nil || a.TargetGroupArn == nil:
		return nil, errors.New("compute: VpcId, PrivateSubnetIds, AlbSecurityGroupId and TargetGroupArn are required")
	case len(a.DependsOn) == 0:
		return nil, errors.New("compute: DependsOn must hold the listener rules that forward to the target group")
	case a.Region == "" || a.Family == "" || (a.Image == "" && a.BuildContext == ""):
		return nil, errors.New("compute: Region, Family, and Image or BuildContext are required")
	case a.BuildContext != "" && a.ImageTag == "":
		return nil, errors.New("compute: BuildContext needs ImageTag")
	case len(a.Secrets) > 0 && a.AccountId == nil:
		return nil, errors.New("compute: Secrets need AccountId")
	case a.MinCount > 0 && (a.MaxCount < a.MinCount || a.RequestCountLabel == nil):
		return nil, errors.New("compute: scaling needs MinCount <= MaxCount and RequestCountLabel")
	}
	if a.ImageRetention == 0 {
		a.ImageRetention = 10
	}
	if a.Capacity == "" {
		a.Capacity = CapacityFargate
	}
	if a.AccountId == nil {
		a.AccountId = pulumi.String("")
	}

	c := &Compute{}
	if err := ctx.RegisterComponentResource(Type, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)

	// Security Hub ECS.12.
	cluster, err := ecs.NewCluster(ctx, name+"-cluster", &ecs.ClusterArgs{
		Settings: ecs.ClusterSettingArray{
			&ecs.ClusterSettingArgs{Name: pulumi.String("containerInsights"), Value: pulumi.String("enabled")},
		},
	}, parent)
	if err != nil {
		return nil, err
	}

	capacity, err := newCapacityProviders(ctx, name, cluster, parent)
	if err != nil {
		return nil, err
	}

	image := pulumi.String(a.Image).ToStringOutput()
	if a.BuildContext != "" {
		if image, err = newImage(ctx, name, a.BuildContext, a.ImageTag, a.ImageRetention, c, parent); err != nil {
			return nil, err
		}
	}

	logs, err := cloudwatch.NewLogGroup(ctx, name+"-logs", &cloudwatch.LogGroupArgs{
		RetentionInDays: pulumi.Int(a.LogRetentionDays),
	}, parent)
	if err != nil {
		return nil, err
	}

	// The execution role lets ECS pull the image, write the logs and read
	// the configured secrets: nothing else.
	execRole, err := iam.NewRole(ctx, name+"-execution", &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(ecsTasksTrust),
		Description:      pulumi.String("ECS pulls the image and writes the container's logs"),
	}, parent)
	if err != nil {
		return nil, err
	}
	// The task definition waits for the roles' policies: a task started
	// before its execution role may read a new secret fails to start.
	policies := []pulumi.Resource{}
	execPolicy, err := iam.NewRolePolicy(ctx, name+"-execution", &iam.RolePolicyArgs{
		Role: execRole.ID(),
		Policy: pulumi.All(logs.Arn, a.AccountId).ApplyT(func(v []any) (string, error) {
			return executionPolicyDocument(v[0].(string), v[1].(string), a.Secrets, a.SecretsKmsKey)
		}).(pulumi.StringOutput),
	}, parent)
	if err != nil {
		return nil, err
	}
	policies = append(policies, execPolicy)
	// The task role is what the application's own AWS calls get: nothing
	// until the team grants it something.
	taskRole, err := iam.NewRole(ctx, name+"-task", &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(ecsTasksTrust),
		Description:      pulumi.String("The application's own AWS permissions (none by default)"),
	}, parent)
	if err != nil {
		return nil, err
	}
	if a.Exec {
		p, err := newExecPolicy(ctx, name, taskRole, logs.Arn, parent)
		if err != nil {
			return nil, err
		}
		policies = append(policies, p)
		// The SSM agent ECS Exec starts writes here.
		if a.ReadOnlyRootFilesystem {
			for _, p := range ExecWritablePaths {
				if !slices.Contains(a.WritablePaths, p) {
					a.WritablePaths = append(slices.Clone(a.WritablePaths), p)
				}
			}
		}
	}

	var volumes ecs.TaskDefinitionVolumeArray
	for i := range a.WritablePaths {
		// A volume without a host path is task-local ephemeral storage on Fargate.
		volumes = append(volumes, &ecs.TaskDefinitionVolumeArgs{Name: pulumi.String(volumeName(i))})
	}
	taskDef, err := ecs.NewTaskDefinition(ctx, name+"-task", &ecs.TaskDefinitionArgs{
		Family:                  pulumi.String(a.Family),
		RequiresCompatibilities: pulumi.StringArray{pulumi.String("FARGATE")},
		NetworkMode:             pulumi.String("awsvpc"),
		Cpu:                     pulumi.String(fmt.Sprint(a.Cpu)),
		Memory:                  pulumi.String(fmt.Sprint(a.Memory)),
		ExecutionRoleArn:        execRole.Arn,
		TaskRoleArn:             taskRole.Arn,
		RuntimePlatform: &ecs.TaskDefinitionRuntimePlatformArgs{
			OperatingSystemFamily: pulumi.String("LINUX"),
			CpuArchitecture:       pulumi.String("X86_64"),
		},
		Volumes:              volumes,
		ContainerDefinitions: containerDefinitions(a, image, logs.Name),
	}, parent, pulumi.DependsOn(policies))
	if err != nil {
		return nil, err
	}

	// The tasks accept traffic only from the load balancer, and send only
	// HTTPS (image pulls, logs, AWS APIs) out through the NAT gateway.
	taskSg, err := ec2.NewSecurityGroup(ctx, name+"-task-sg", &ec2.SecurityGroupArgs{
		Description: pulumi.String("Tasks: the container port from the load balancer only; HTTPS out"),
		VpcId:       a.VpcId,
		Ingress: ec2.SecurityGroupIngressArray{
			&ec2.SecurityGroupIngressArgs{
				Description: pulumi.String("The container port, from the load balancer"),
				Protocol:    pulumi.String("tcp"), FromPort: pulumi.Int(a.ContainerPort), ToPort: pulumi.Int(a.ContainerPort),
				SecurityGroups: pulumi.StringArray{a.AlbSecurityGroupId},
			},
		},
		Egress: ec2.SecurityGroupEgressArray{
			&ec2.SecurityGroupEgressArgs{
				Description: pulumi.String("HTTPS: image pulls, logs and AWS APIs"),
				Protocol:    pulumi.String("tcp"), FromPort: pulumi.Int(443), ToPort: pulumi.Int(443),
				CidrBlocks: pulumi.StringArray{pulumi.String("0.0.0.0/0")},
			},
		},
	}, parent)
	if err != nil {
		return nil, err
	}

	svcArgs := &ecs.ServiceArgs{
		Cluster:         cluster.Arn,
		TaskDefinition:  taskDef.Arn,
		DesiredCount:    pulumi.Int(a.DesiredCount),
		PlatformVersion: pulumi.String("LATEST"), // ECS.10
		NetworkConfiguration: &ecs.ServiceNetworkConfigurationArgs{
			Subnets:        a.PrivateSubnetIds,
			SecurityGroups: pulumi.StringArray{taskSg.ID()},
			AssignPublicIp: pulumi.Bool(false), // ECS.2
		},
		LoadBalancers: ecs.ServiceLoadBalancerArray{
			&ecs.ServiceLoadBalancerArgs{
				TargetGroupArn: a.TargetGroupArn,
				ContainerName:  pulumi.String(ContainerName),
				ContainerPort:  pulumi.Int(a.ContainerPort),
			},
		},
		HealthCheckGracePeriodSeconds: pulumi.Int(60),
		DeploymentCircuitBreaker: &ecs.ServiceDeploymentCircuitBreakerArgs{
			Enable: pulumi.Bool(true), Rollback: pulumi.Bool(true),
		},
		DeploymentMinimumHealthyPercent: pulumi.Int(100),
		DeploymentMaximumPercent:        pulumi.Int(200),
		WaitForSteadyState:              pulumi.Bool(true),
		EnableEcsManagedTags:            pulumi.Bool(true),
		PropagateTags:                   pulumi.String("SERVICE"),
		EnableExecuteCommand:            pulumi.Bool(a.Exec),
	}
	if strategy := capacityStrategy(a.Capacity, a.OnDemandBase); strategy != nil {
		// With forceNewDeployment, moving between two strategies updates
		// the service in place (the provider replaces it otherwise).
		svcArgs.CapacityProviderStrategies = strategy
		svcArgs.ForceNewDeployment = pulumi.Bool(true)
	} else {
		svcArgs.LaunchType = pulumi.String("FARGATE")
	}
	svcOpts := []pulumi.ResourceOption{parent, pulumi.DependsOn(append(slices.Clone(a.DependsOn), capacity))}
	if a.MinCount > 0 {
		// Autoscaling owns the task count: desiredCount is only where the
		// service starts, and a later pulumi up must not reset it.
		svcOpts = append(svcOpts, pulumi.IgnoreChanges([]string{"desiredCount"}))
	}
	svc, err := ecs.NewService(ctx, name+"-service", svcArgs, svcOpts...)
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
	c.TaskSecurityGroupId = taskSg.ID().ToStringOutput()
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"clusterName":         c.ClusterName,
		"clusterArn":          c.ClusterArn,
		"serviceName":         c.ServiceName,
		"taskDefinitionArn":   c.TaskDefinitionArn,
		"logGroupName":        c.LogGroupName,
		"taskSecurityGroupId": c.TaskSecurityGroupId,
	}); err != nil {
		return nil, err
	}
	return c, nil
}

const ecsTasksTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

func volumeName(i int) string { return fmt.Sprintf("writable-%d", i) }

// containerDefinition is the subset of ECS's container definition we set.
type containerDefinition struct {
	Name                   string           `json:"name"`
	Image                  string           `json:"image"`
	Essential              bool             `json:"essential"`
	Privileged             bool             `json:"privileged"`
	ReadonlyRootFilesystem bool             `json:"readonlyRootFilesystem"`
	PortMappings           []portMapping    `json:"portMappings"`
	Environment            []keyValue       `json:"environment"`
	MountPoints            []mountPoint     `json:"mountPoints"`
	Secrets                []secretRef      `json:"secrets,omitempty"`
	LinuxParameters        *linuxParameters `json:"linuxParameters,omitempty"`
	LogConfiguration       logConfiguration `json:"logConfiguration"`
}

// linuxParameters: with ECS Exec, an init process reaps the processes the
// SSM agent's sessions leave behind (what AWS recommends for ECS Exec).
type linuxParameters struct {
	InitProcessEnabled bool `json:"initProcessEnabled"`
}

type portMapping struct {
	ContainerPort int    `json:"containerPort"`
	Protocol      string `json:"protocol"`
}

type keyValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type secretRef struct {
	Name      string `json:"name"`
	ValueFrom string `json:"valueFrom"`
}

type mountPoint struct {
	SourceVolume  string `json:"sourceVolume"`
	ContainerPath string `json:"containerPath"`
	ReadOnly      bool   `json:"readOnly"`
}

type logConfiguration struct {
	LogDriver string            `json:"logDriver"`
	Options   map[string]string `json:"options"`
}

// containerDefinitions renders the task's container definitions once the
// image, the log group's name and the stack environment are known.
func containerDefinitions(a Args, image, logGroupName pulumi.StringOutput) pulumi.StringOutput {
	stackEnv := a.StackEnvironment
	if stackEnv == nil {
		stackEnv = pulumi.StringMap{}
	}
	mounts := make([]mountPoint, 0, len(a.WritablePaths))
	for i, p := range a.WritablePaths {
		mounts = append(mounts, mountPoint{SourceVolume: volumeName(i), ContainerPath: p})
	}
	return pulumi.All(image, logGroupName, stackEnv.ToStringMapOutput()).ApplyT(func(in []any) (string, error) {
		img, group, fromStack := in[0].(string), in[1].(string), in[2].(map[string]string)
		all := map[string]string{}
		for n, v := range a.Environment {
			all[n] = v
		}
		for n, v := range fromStack {
			all[n] = v
		}
		names := make([]string, 0, len(all))
		for n := range all {
			names = append(names, n)
		}
		sort.Strings(names)
		env := make([]keyValue, 0, len(names))
		for _, n := range names {
			env = append(env, keyValue{Name: n, Value: all[n]})
		}
		var secrets []secretRef
		for _, s := range a.Secrets {
			secrets = append(secrets, secretRef{Name: s.Name, ValueFrom: s.ValueFrom})
		}
		sort.Slice(secrets, func(i, j int) bool { return secrets[i].Name < secrets[j].Name })
		var linux *linuxParameters
		if a.Exec {
			linux = &linuxParameters{InitProcessEnabled: true}
		}
		b, err := json.Marshal([]containerDefinition{{
			Name:                   ContainerName,
			Image:                  img,
			Essential:              true,
			Privileged:             false, // ECS.4
			ReadonlyRootFilesystem: a.ReadOnlyRootFilesystem,
			PortMappings:           []portMapping{{ContainerPort: a.ContainerPort, Protocol: "tcp"}},
			Environment:            env,
			MountPoints:            mounts,
			Secrets:                secrets,
			LinuxParameters:        linux,
			LogConfiguration: logConfiguration{ // ECS.9
				LogDriver: "awslogs",
				Options: map[string]string{
					"awslogs-group":         group,
					"awslogs-region":        a.Region,
					"awslogs-stream-prefix": ContainerName,
				},
			},
		}})
		return string(b), err
	}).(pulumi.StringOutput)
}
