package catalog

import (
	"fmt"

	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

// Role is an IAM role (the task's, the execution role, the flow log's).
var Role = register(Type{
	Token:     "aws:iam/role:Role",
	Terraform: "aws_iam_role",
	Update: Update{
		ReplaceOn: []string{"name", "namePrefix", "path"},
		Sets:      []string{"managedPolicyArns", "inlinePolicies"},
		Claims:    namedClaim("IAM role", "name"),
	},
	Mock: func(m *Mock) {
		p := m.Physical()
		m.ID = p
		m.Set("name", p)
		m.Set("arn", fmt.Sprintf("arn:aws:iam::%s:role/%s", Account, p))
	},
	Cost: Cost{Free: "IAM costs nothing"},
})

// RolePolicy is a role's inline policy.
var RolePolicy = register(Type{
	Token:     "aws:iam/rolePolicy:RolePolicy",
	Terraform: "aws_iam_role_policy",
	Update: Update{
		ReplaceOn: []string{"name", "namePrefix", "role"},
		Claims: func(r snapshot.Resource) []Claim {
			if _, named := r.Inputs["name"]; !named {
				return nil
			}
			return []Claim{{Key: fmt.Sprintf("role policy %v of %v", r.Inputs["name"], r.Inputs["role"]), From: []string{"name", "role"}}}
		},
	},
	Mock: func(m *Mock) { m.ID = m.Input("role") + ":" + m.Physical() },
	Cost: Cost{Free: "IAM costs nothing"},
})
