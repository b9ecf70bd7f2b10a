package catalog

import (
	"fmt"
	"strings"
)

// Repository is the built-in app's image repository.
var Repository = register(Type{
	Token:     "aws:ecr/repository:Repository",
	Terraform: "aws_ecr_repository",
	Deploy: Deploy{
		Actions: []string{"ecr:CreateRepository", "ecr:DeleteRepository", "ecr:DescribeRepositories", "ecr:ListTagsForResource", "ecr:PutImageScanningConfiguration", "ecr:PutImageTagMutability", "ecr:TagResource", "ecr:UntagResource"},
	},
	Update: Update{
		ReplaceOn: []string{"name", "encryptionConfigurations"},
		Claims:    namedClaim("ECR repository", "name"),
		Loses:     "the repository and the images in it are deleted (the next deployment builds and pushes again)",
	},
	Mock: func(m *Mock) {
		repo := strings.ToLower(m.Physical())
		m.ID = repo
		m.Set("name", repo)
		m.Set("arn", m.ArnPrefix("ecr")+"repository/"+repo)
		m.Set("registryId", Account)
		m.Set("repositoryUrl", fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/%s", Account, m.Region, repo))
	},
	Cost: Cost{Priced: "ECR image storage"},
})

// LifecyclePolicy expires a repository's old images.
var LifecyclePolicy = register(Type{
	Token:     "aws:ecr/lifecyclePolicy:LifecyclePolicy",
	Terraform: "aws_ecr_lifecycle_policy",
	Deploy: Deploy{
		Actions: []string{"ecr:DeleteLifecyclePolicy", "ecr:GetLifecyclePolicy", "ecr:PutLifecyclePolicy"},
	},
	Update: Update{
		ReplaceOn: []string{"repository", "policy"},
		Claims:    oneOf("the lifecycle policy of repository %v", "repository"),
	},
	Mock: func(m *Mock) {
		m.ID = m.Input("repository")
		m.Set("registryId", Account)
	},
	Cost: Cost{Free: "lifecycle policies cost nothing (they lower storage)"},
})
