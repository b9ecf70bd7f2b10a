package catalog

// Provider is an explicit AWS provider (the us-east-1 one a custom sign-in
// domain's certificate needs). The provider check gives each its own
// Terraform provider configuration; the replay replaces what moves to
// another provider.
var Provider = register(Type{
	Token: "pulumi:providers:aws",
	Mock:  func(m *Mock) { m.ID = uuidOf(m.URN) },
	Cost:  Cost{Free: "configuration, no AWS resource"},
})
