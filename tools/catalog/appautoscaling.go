package catalog

import (
	"fmt"

	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

// ScalingTarget is what Application Auto Scaling scales (an ECS service's
// task count).
var ScalingTarget = register(Type{
	Token:     "aws:appautoscaling/target:Target",
	Terraform: "aws_appautoscaling_target",
	Deploy: Deploy{
		Actions:            []string{"application-autoscaling:DeregisterScalableTarget", "application-autoscaling:DescribeScalableTargets", "application-autoscaling:ListTagsForResource", "application-autoscaling:RegisterScalableTarget", "application-autoscaling:TagResource", "application-autoscaling:UntagResource", "ecs:DescribeServices", "ecs:UpdateService"},
		ServiceLinkedRoles: always("ecs.application-autoscaling.amazonaws.com"),
	},
	Update: Update{
		ReplaceOn: []string{"resourceId", "scalableDimension", "serviceNamespace"},
		Claims: func(r snapshot.Resource) []Claim {
			return []Claim{{Key: fmt.Sprintf("the scalable target %v %v", r.Inputs["resourceId"], r.Inputs["scalableDimension"]), From: []string{"resourceId"}}}
		},
	},
	Mock: func(m *Mock) {
		m.ID = m.Input("resourceId")
		m.Set("arn", m.ArnPrefix("application-autoscaling")+"scalable-target/"+m.Hex("arn", 36))
	},
	Cost: Cost{Priced: "the Fargate items at minCapacity and maxCapacity"},
})

// ScalingPolicy is a target tracking policy.
var ScalingPolicy = register(Type{
	Token:     "aws:appautoscaling/policy:Policy",
	Terraform: "aws_appautoscaling_policy",
	Deploy: Deploy{
		Actions: []string{"application-autoscaling:DeleteScalingPolicy", "application-autoscaling:DescribeScalingPolicies", "application-autoscaling:PutScalingPolicy", "cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms", "cloudwatch:PutMetricAlarm"},
	},
	Update: Update{
		ReplaceOn: []string{"name", "resourceId", "scalableDimension", "serviceNamespace"},
		Claims:    namedClaim("scaling policy", "name"),
	},
	Mock: func(m *Mock) {
		p := m.Physical()
		m.ID = p
		m.Set("name", p)
		m.Set("arn", m.ArnPrefix("autoscaling")+"scalingPolicy:"+uuidOf(m.URN)+":resource/ecs/"+m.Input("resourceId")+":policyName/"+p)
	},
	Cost: Cost{Priced: "CloudWatch alarms (two per target tracking policy)"},
})
