package catalog

// Image is awsx's image build: the built-in app, built with Docker where
// pulumi up runs and pushed to the stack's repository. It is a component:
// under the mock nothing inside it is registered.
var Image = register(Type{
	Token:      "awsx:ecr:Image",
	OutOfReach: "awsx component (a docker build and push; no AWS resource of its own)",
	Mock: func(m *Mock) {
		m.ID = ""
		m.Set("imageUri", m.Input("repositoryUrl")+"@sha256:"+m.Hex("digest", 64))
	},
	Cost: Cost{Free: "the build runs where pulumi up runs; the repository's storage is priced"},
})
