package compute

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"

	"github.com/example/alb-cognito-fargate/infra/config"
)

// executionPolicyDocument: pull images from ECR, write this log group, read
// exactly the configured secrets and, when one is named, decrypt with that
// KMS key. Nothing else.
func executionPolicyDocument(logGroupArn, account string, secrets []config.SecretRef, kmsKey string) (string, error) {
	stmts := []map[string]any{
		{"Effect": "Allow", "Action": []string{"ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"}, "Resource": "*"},
		{"Effect": "Allow", "Action": []string{"logs:CreateLogStream", "logs:PutLogEvents"}, "Resource": logGroupArn + ":*"},
	}
	byAction := map[string][]string{}
	for _, s := range secrets {
		for _, r := range s.Resources {
			r = strings.ReplaceAll(r, "{account}", account)
			if !slices.Contains(byAction[s.Action], r) {
				byAction[s.Action] = append(byAction[s.Action], r)
			}
		}
	}
	actions := make([]string, 0, len(byAction))
	for a := range byAction {
		actions = append(actions, a)
	}
	sort.Strings(actions)
	for _, a := range actions {
		sort.Strings(byAction[a])
		stmts = append(stmts, map[string]any{"Effect": "Allow", "Action": a, "Resource": byAction[a]})
	}
	if kmsKey != "" {
		stmts = append(stmts, map[string]any{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": kmsKey})
	}
	b, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": stmts})
	return string(b), err
}
