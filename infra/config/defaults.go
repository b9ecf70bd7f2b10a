package config

// DefaultImage serves a page on port 80 and, with the default writable paths,
// runs on a read-only root file system. It comes from ECR Public (the Docker
// official images mirror), so pulls are not subject to Docker Hub rate limits.
const DefaultImage = "public.ecr.aws/docker/library/nginx:1.27-alpine"

// Defaults that depend on the image, which the zero values of image,
// containerPort and healthCheckPath stand for.
const (
	DefaultContainerPort   = 80
	DefaultHealthCheckPath = "/"
	// The built-in app's image runs as a non-root user, so it cannot listen
	// below 1024, and answers /healthz.
	AppContainerPort   = 8080
	AppHealthCheckPath = "/healthz"
)

// DefaultImageWritablePaths are added to writablePaths when the default image
// is used: nginx writes its pid under /run (/var/run links there) and its
// buffers to /var/cache/nginx.
var DefaultImageWritablePaths = []string{"/tmp", "/var/cache/nginx", "/run"}

// Defaults holds the documented default of every optional key, exactly as
// Pulumi.yaml declares it (a test keeps the two in step). The empty image,
// port 0 and the empty health check path are resolved per mode (see
// resolveImageDefaults).
var Defaults = struct {
	AvailabilityZones      int
	MaxAvailabilityZones   int
	NatGateways            string
	VpcCidr                string
	BuiltInApp             bool
	Image                  string
	ContainerPort          int
	Cpu                    int
	Memory                 int
	DesiredCount           int
	HealthCheckPath        string
	ReadOnlyRootFilesystem bool
	LogRetentionDays       int
	SelfSignUp             bool
	Mfa                    string
	SessionTimeoutSeconds  int
	LocalUsers             bool
	UserPoolTier           string
	ThreatProtection       string
	AccessLogs             bool
	Waf                    string
	WafRateLimit           int
	Capacity               string
	OnDemandBase           int
	Exec                   bool
	ImageRetention         int
	Protect                bool
}{
	AvailabilityZones:      2,
	MaxAvailabilityZones:   6,
	NatGateways:            NatSingle,
	VpcCidr:                "10.0.0.0/16",
	BuiltInApp:             false,
	Image:                  "",
	ContainerPort:          0,
	Cpu:                    256,
	Memory:                 512,
	DesiredCount:           2,
	HealthCheckPath:        "",
	ReadOnlyRootFilesystem: true,
	LogRetentionDays:       30,
	SelfSignUp:             false,
	Mfa:                    MfaOn,
	SessionTimeoutSeconds:  43200,
	LocalUsers:             true,
	UserPoolTier:           TierEssentials,
	ThreatProtection:       ThreatOff,
	AccessLogs:             true,
	Waf:                    WafCount,
	WafRateLimit:           2000,
	Capacity:               CapacityFargate,
	OnDemandBase:           1,
	Exec:                   false,
	ImageRetention:         10,
	Protect:                false,
}

// StackEnvironment are the variables the stack itself passes to the
// container (see compute); the environment key may not set them.
var StackEnvironment = []string{"ADMIN_GROUP", "ALB_ARN", "AWS_REGION", "COGNITO_CLIENT_ID", "COGNITO_DOMAIN", "COGNITO_ISSUER", "LOGOUT_URL", "PORT"}

// LogoutPath is where Cognito returns users after sign-out, on every host;
// the ALB serves it without sign-in.
const LogoutPath = "/logged-out"

// NAT strategies (natGateways).
const (
	NatSingle = "single"
	NatPerAz  = "perAz"
)

// MFA settings (mfa).
const (
	MfaOff      = "off"
	MfaOptional = "optional"
	MfaOn       = "on"
)

// Limits that validation enforces, with where they come from.
const (
	MinAvailabilityZones = 2 // ELB.13: an ALB needs subnets in two or more AZs
	MaxAvailabilityZones = 6 // the most AZs any region offers
	// MaxHostNames is ACM's default quota of domain names per certificate.
	MaxHostNames = 10
	// MaxCommonNameLength: the certificate's first name is its Common Name,
	// at most 64 characters (RFC 5280); SANs may be up to 253.
	MaxCommonNameLength = 64
	MaxPublicPaths      = 30
	MaxPathPatternLen   = 128 // ALB path-pattern value
	MaxDesiredCount     = 1000
	MaxSessionTimeout   = 604800 // ALB: 7 days
	MaxWritablePaths    = 10
	// MaxHostHeaderLength: an ALB host-header condition value (ELB API
	// HostHeaderConditionConfig).
	MaxHostHeaderLength = 128
	// MaxTaskDefinitionBytes: ECS RegisterTaskDefinition's limit.
	MaxTaskDefinitionBytes = 65536
	// taskDefinitionOverhead bounds what the task definition holds besides
	// the image, the configured environment and the mounts: the stack's own
	// variables (ARNs and URLs), roles, log configuration, port mapping.
	taskDefinitionOverhead = 4096
)

// fargateMemory lists, for each Fargate CPU value, the memory sizes (MiB)
// Fargate accepts (ECS task-cpu-memory docs).
var fargateMemory = map[int][]int{
	256:   {512, 1024, 2048},
	512:   stepRange(1024, 4096, 1024),
	1024:  stepRange(2048, 8192, 1024),
	2048:  stepRange(4096, 16384, 1024),
	4096:  stepRange(8192, 30720, 1024),
	8192:  stepRange(16384, 61440, 4096),
	16384: stepRange(32768, 122880, 8192),
}

func stepRange(from, to, step int) []int {
	var out []int
	for v := from; v <= to; v += step {
		out = append(out, v)
	}
	return out
}

// FargateMemoryFor returns the memory sizes Fargate accepts with cpu, or nil
// when cpu is not a Fargate CPU value.
func FargateMemoryFor(cpu int) []int { return fargateMemory[cpu] }

// logRetentionDays are the values CloudWatch Logs accepts.
var logRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// forbiddenEnvNames are credentials that must never be set as plain
// environment variables (Security Hub ECS.8): use the task role instead.
var forbiddenEnvNames = []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "ECS_ENGINE_AUTH_DATA"}
