package compute

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// newTaskDefinition registers the task: Fargate, awsvpc, the configured
// size, one container (containerDefinitions) with its writable paths as
// task-local volumes.
func newTaskDefinition(ctx *pulumi.Context, name string, a Args, image pulumi.StringOutput, logs *cloudwatch.LogGroup, r *roles, parent pulumi.ResourceOption) (*ecs.TaskDefinition, error) {
	paths := writablePaths(a)
	var volumes ecs.TaskDefinitionVolumeArray
	for i := range paths {
		// A volume without a host path is task-local ephemeral storage on Fargate.
		volumes = append(volumes, &ecs.TaskDefinitionVolumeArgs{Name: pulumi.String(volumeName(i))})
	}
	return ecs.NewTaskDefinition(ctx, name+"-task", &ecs.TaskDefinitionArgs{
		Family:                  pulumi.String(a.Family),
		RequiresCompatibilities: pulumi.StringArray{pulumi.String("FARGATE")},
		NetworkMode:             pulumi.String("awsvpc"),
		Cpu:                     pulumi.String(fmt.Sprint(a.CPU)),
		Memory:                  pulumi.String(fmt.Sprint(a.Memory)),
		ExecutionRoleArn:        r.execution.Arn,
		TaskRoleArn:             r.task.Arn,
		RuntimePlatform: &ecs.TaskDefinitionRuntimePlatformArgs{
			OperatingSystemFamily: pulumi.String("LINUX"),
			CpuArchitecture:       pulumi.String("X86_64"),
		},
		Volumes:              volumes,
		ContainerDefinitions: containerDefinitions(a, paths, image, logs.Name),
	}, parent, pulumi.DependsOn(r.policies))
}

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
func containerDefinitions(a Args, writablePaths []string, image, logGroupName pulumi.StringOutput) pulumi.StringOutput {
	stackEnv := a.StackEnvironment
	if stackEnv == nil {
		stackEnv = pulumi.StringMap{}
	}
	mounts := make([]mountPoint, 0, len(writablePaths))
	for i, p := range writablePaths {
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
