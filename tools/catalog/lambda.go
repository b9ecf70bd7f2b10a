package catalog

import (
	"fmt"

	"github.com/example/alb-cognito-fargate/infra/config"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

// LambdaFunction is a Lambda function (the pool's pre sign-up trigger).
var LambdaFunction = register(Type{
	Token:     "aws:lambda/function:Function",
	Terraform: "aws_lambda_function",
	// pulumi-aws names the function `name` and takes the code as an
	// archive it writes to the file Terraform's `filename` reads.
	TerraformNames: map[string]string{"name": "function_name", "code": "filename"},
	Deploy: Deploy{
		Actions: []string{"lambda:CreateFunction", "lambda:DeleteFunction", "lambda:GetFunction", "lambda:GetFunctionCodeSigningConfig",
			"lambda:GetFunctionConfiguration", "lambda:ListVersionsByFunction", "lambda:TagResource", "lambda:UntagResource",
			"lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration"},
		PassesRoles: map[string]string{"role": "lambda.amazonaws.com"},
	},
	Update: Update{
		ReplaceOn: []string{"name", "packageType"},
		Sets:      []string{"vpcConfig.securityGroupIds", "vpcConfig.subnetIds"},
		Claims:    namedClaim("Lambda function", "name"),
		Grants: func(r snapshot.Resource) map[string]string {
			v, _ := lookupPath(r.Inputs, "environment", "variables", config.AllowListVariable)
			return map[string]string{"who may sign up through each identity provider (" + config.AllowListVariable + ")": jsonText(v)}
		},
	},
	Mock: func(m *Mock) {
		p := m.Physical()
		m.ID = p
		m.Set("name", p)
		m.Set("arn", m.ArnPrefix("lambda")+"function:"+p)
		m.Set("qualifiedArn", m.ArnPrefix("lambda")+"function:"+p+":$LATEST")
		m.Set("invokeArn", "arn:aws:apigateway:"+m.Region+":lambda:path/2015-03-31/functions/"+m.ArnPrefix("lambda")+"function:"+p+"/invocations")
		m.Set("version", "$LATEST")
	},
	Cost: Cost{Free: "runs once per new federated user, within Lambda's monthly free requests and compute"},
})

// LambdaPermission lets a service invoke a function (Cognito, the trigger).
var LambdaPermission = register(Type{
	Token:     "aws:lambda/permission:Permission",
	Terraform: "aws_lambda_permission",
	// pulumi-aws names Terraform's function_name `function`.
	TerraformNames: map[string]string{"function": "function_name"},
	Deploy: Deploy{
		Actions: []string{"lambda:AddPermission", "lambda:GetPolicy", "lambda:RemovePermission"},
	},
	Update: Update{
		// A permission is a statement of the function's policy: AWS has no
		// update, so every argument replaces it.
		ReplaceOn: []string{"action", "eventSourceToken", "function", "functionUrlAuthType", "principal", "principalOrgId",
			"qualifier", "sourceAccount", "sourceArn", "statementId", "statementIdPrefix"},
		Grants: func(r snapshot.Resource) map[string]string {
			return map[string]string{"who may invoke the function": fmt.Sprint(r.Inputs["principal"], " from ", r.Inputs["sourceArn"], " in ", r.Inputs["sourceAccount"])}
		},
	},
	Mock: func(m *Mock) {
		m.ID = "terraform-" + m.Hex("statement", 26)
		m.Set("statementId", m.ID)
	},
	Cost: Cost{Free: "permissions cost nothing"},
})
