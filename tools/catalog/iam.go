package catalog

import (
	"fmt"

	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

// Role is an IAM role (the task's, the execution role, the flow log's).
var Role = register(Type{
	Token:     "aws:iam/role:Role",
	Terraform: "aws_iam_role",
	Deploy: Deploy{
		Actions: []string{"iam:CreateRole", "iam:DeleteRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:GetRole", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:ListRolePolicies", "iam:TagRole", "iam:UntagRole", "iam:UpdateAssumeRolePolicy", "iam:UpdateRole", "iam:UpdateRoleDescription"},
	},
	Update: Update{
		ReplaceOn: []string{"name", "namePrefix", "path"},
		Sets:      []string{"managedPolicyArns", "inlinePolicies"},
		Claims:    namedClaim("IAM role", "name"),
		Grants: func(r snapshot.Resource) map[string]string {
			return map[string]string{
				"who may assume role " + r.Name:          jsonText(r.Inputs["assumeRolePolicy"]),
				"the managed policies of role " + r.Name: jsonText(sortedStrs(r.Inputs["managedPolicyArns"])),
			}
		},
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
	Deploy: Deploy{
		Actions: []string{"iam:DeleteRolePolicy", "iam:GetRolePolicy", "iam:PutRolePolicy"},
	},
	Update: Update{
		ReplaceOn: []string{"name", "namePrefix", "role"},
		Claims: func(r snapshot.Resource) []Claim {
			if _, named := r.Inputs["name"]; !named {
				return nil
			}
			return []Claim{{Key: fmt.Sprintf("role policy %v of %v", r.Inputs["name"], r.Inputs["role"]), From: []string{"name", "role"}}}
		},
		Grants: func(r snapshot.Resource) map[string]string {
			return map[string]string{"what policy " + r.Name + " allows": jsonText(r.Inputs["policy"])}
		},
	},
	Mock: func(m *Mock) { m.ID = m.Input("role") + ":" + m.Physical() },
	Cost: Cost{Free: "IAM costs nothing"},
})
