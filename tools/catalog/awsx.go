package catalog

// Image is awsx's image build: the built-in app, built with Docker where
// pulumi up runs and pushed to the stack's repository. It is a component:
// under the mock nothing inside it is registered.
var Image = register(Type{
	Token:      "awsx:ecr:Image",
	OutOfReach: "awsx component (a docker build and push; no AWS resource of its own)",
	// awsx v2 signs in to the registry with an ECR authorization token and
	// pushes with BuildKit, pulling the previous image as its cache; a
	// delete removes the pushed manifest (failures ignored).
	Deploy: Deploy{
		Actions: []string{"ecr:BatchCheckLayerAvailability", "ecr:BatchDeleteImage", "ecr:BatchGetImage", "ecr:CompleteLayerUpload",
			"ecr:GetAuthorizationToken", "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"},
	},
	Mock: func(m *Mock) {
		m.ID = ""
		m.Set("imageUri", m.Input("repositoryUrl")+"@sha256:"+m.Hex("digest", 64))
	},
	Cost: Cost{Free: "the build runs where pulumi up runs; the repository's storage is priced"},
})
