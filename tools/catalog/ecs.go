package catalog

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/example/alb-cognito-fargate/infra/awsfacts"
	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

// Cluster is the ECS cluster.
var Cluster = register(Type{
	Token:     "aws:ecs/cluster:Cluster",
	Terraform: "aws_ecs_cluster",
	Deploy: Deploy{
		Actions:            []string{"ecs:CreateCluster", "ecs:DeleteCluster", "ecs:DescribeClusters", "ecs:TagResource", "ecs:UntagResource", "ecs:UpdateCluster"},
		ServiceLinkedRoles: always("ecs.amazonaws.com"),
	},
	Update: Update{
		ReplaceOn: []string{"name"},
		Sets:      []string{"settings"},
		Claims:    namedClaim("ECS cluster", "name"),
	},
	Mock: func(m *Mock) {
		p := m.Physical()
		m.ID = m.ArnPrefix("ecs") + "cluster/" + p
		m.Set("arn", m.ID)
		m.Set("name", p)
	},
	Cost: Cost{Free: "clusters cost nothing; their tasks are priced"},
})

// ClusterCapacityProviders are the capacity providers a cluster offers.
var ClusterCapacityProviders = register(Type{
	Token:     "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
	Terraform: "aws_ecs_cluster_capacity_providers",
	Deploy: Deploy{
		Actions: []string{"ecs:DescribeClusters", "ecs:PutClusterCapacityProviders"},
	},
	Update: Update{
		ReplaceOn: []string{"clusterName"},
		Sets:      []string{"capacityProviders", "defaultCapacityProviderStrategies"},
		Claims:    oneOf("the capacity providers of cluster %v", "clusterName"),
	},
	Mock: func(m *Mock) { m.ID = m.Input("clusterName") },
	Cost: Cost{Free: "configuration of the cluster"},
})

// Service runs the tasks.
var Service = register(Type{
	Token:     "aws:ecs/service:Service",
	Terraform: "aws_ecs_service",
	Deploy: Deploy{
		Actions:            []string{"ecs:CreateService", "ecs:DeleteService", "ecs:DescribeServices", "ecs:TagResource", "ecs:UntagResource", "ecs:UpdateService"},
		ServiceLinkedRoles: always("ecs.amazonaws.com"),
	},
	Update: Update{
		ReplaceOn: []string{"name", "cluster", "iamRole", "launchType", "schedulingStrategy", "deploymentController.type"},
		// A capacity provider strategy change replaces the service unless
		// forceNewDeployment is set and both strategies are non-empty.
		ReplaceWhen: func(old, new snapshot.Resource) string {
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
		Claims: func(r snapshot.Resource) []Claim {
			if _, named := r.Inputs["name"]; !named {
				return nil // auto-named: a replacement gets a new name
			}
			return []Claim{{Key: fmt.Sprintf("ECS service %v in %v", r.Inputs["name"], r.Inputs["cluster"]), From: []string{"name", "cluster"}}}
		},
	},
	Mock: func(m *Mock) {
		p := m.Physical()
		m.ID = m.ArnPrefix("ecs") + "service/" + p
		m.Set("name", p)
	},
	Cost: Cost{Priced: "Fargate vCPU and memory, on demand and Spot; public IPv4 of tasks that get one"},
})

// TaskDefinition is the task: its size, roles and container.
var TaskDefinition = register(Type{
	Token:     "aws:ecs/taskDefinition:TaskDefinition",
	Terraform: "aws_ecs_task_definition",
	Deploy: Deploy{
		Actions:     []string{"ecs:DeregisterTaskDefinition", "ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition", "ecs:TagResource", "ecs:UntagResource"},
		PassesRoles: map[string]string{"executionRoleArn": "ecs-tasks.amazonaws.com", "taskRoleArn": "ecs-tasks.amazonaws.com"},
	},
	Update: Update{
		// Every change registers a new revision.
		ReplaceOn: []string{"family", "containerDefinitions", "cpu", "memory", "executionRoleArn", "taskRoleArn", "networkMode", "requiresCompatibilities", "runtimePlatform", "volumes", "ephemeralStorage", "ipcMode", "pidMode", "placementConstraints", "proxyConfiguration", "inferenceAccelerators", "enableFaultInjection"},
		Sets:      []string{"requiresCompatibilities", "volumes", "placementConstraints", "inferenceAccelerators"},
		Grants: func(r snapshot.Resource) map[string]string {
			return map[string]string{"the application's administrators (" + config.AdminGroupVariable + ")": containerVariable(r.Inputs["containerDefinitions"], config.AdminGroupVariable)}
		},
	},
	Mock: func(m *Mock) {
		family := m.Input("family")
		m.ID = family
		m.Set("arn", m.ArnPrefix("ecs")+"task-definition/"+family+":1")
		m.Set("revision", 1)
	},
	Cost: Cost{Priced: "sizes the service's Fargate items; the Secrets Manager secrets it reads"},
	Checks: []Check{{
		Source: "ECS RegisterTaskDefinition: at most 64 KiB; Fargate task-cpu-memory table",
		Check: func(r snapshot.Resource) []Finding {
			var out []Finding
			if b, err := json.Marshal(r.Inputs); err == nil && len(b) > awsfacts.MaxTaskDefinitionBytes {
				out = append(out, finding("containerDefinitions", "the task definition is %d bytes; ECS registers at most %d", len(b), awsfacts.MaxTaskDefinitionBytes)...)
			}
			if slices.Contains(strs(r.Inputs["requiresCompatibilities"]), "FARGATE") {
				cpu, _ := strconv.Atoi(fmt.Sprint(r.Inputs["cpu"]))
				mem, _ := strconv.Atoi(fmt.Sprint(r.Inputs["memory"]))
				if !awsfacts.FargateOffers(cpu, mem) {
					out = append(out, finding("memory", "Fargate offers no task size of cpu %v with memory %v (\"No Fargate configuration exists\")", r.Inputs["cpu"], r.Inputs["memory"])...)
				}
			}
			return out
		},
	}},
})

// containerVariable is an environment variable of a task's containers, as
// "<container>=<value>" for each container that sets it.
func containerVariable(defs any, name string) string {
	if s, ok := defs.(string); ok {
		_ = json.Unmarshal([]byte(s), &defs)
	}
	var out []string
	for _, c := range asList(defs) {
		cm, _ := c.(map[string]any)
		for _, e := range asList(cm["environment"]) {
			em, _ := e.(map[string]any)
			if em["name"] == name {
				out = append(out, fmt.Sprintf("%v=%q", cm["name"], fmt.Sprint(em["value"])))
			}
		}
	}
	return strings.Join(out, ", ")
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}
