package config

import "slices"

// DefaultImage serves a page on port 80 and, with the default writable paths,
// runs on a read-only root file system. It comes from ECR Public (the Docker
// official images mirror), so pulls are not subject to Docker Hub rate limits.
const DefaultImage = "public.ecr.aws/docker/library/nginx:1.27-alpine"

// What the empty image, port 0 and the empty health check path stand for,
// per mode (Pulumi.yaml's descriptions of image, containerPort and
// healthCheckPath say the same).
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

// resolveImageDefaults fills in what depends on the image: the empty image,
// port 0 and the empty health check path mean "the default for this mode".
func resolveImageDefaults(c *Config, p *parser) {
	if c.BuiltInApp {
		if c.Image != "" {
			p.add(k("image"), "is set, but builtInApp is true and the stack builds the image from app/: remove one of the two")
		}
		if c.ContainerPort == 0 {
			c.ContainerPort = AppContainerPort
		} else if c.ContainerPort > 0 && c.ContainerPort < 1024 {
			p.add(k("containerPort"), "is %d, but the built-in app runs as a non-root user and cannot listen below 1024: use %d, or remove the key", c.ContainerPort, AppContainerPort)
		}
		if c.HealthCheckPath == "" {
			c.HealthCheckPath = AppHealthCheckPath
		}
		return
	}
	if c.Image == "" {
		c.Image = DefaultImage
		// The default image brings the directories it writes to.
		for _, d := range DefaultImageWritablePaths {
			if !slices.Contains(c.WritablePaths, d) {
				c.WritablePaths = append(c.WritablePaths, d)
			}
		}
	}
	if c.ContainerPort == 0 {
		c.ContainerPort = DefaultContainerPort
	}
	if c.HealthCheckPath == "" {
		c.HealthCheckPath = DefaultHealthCheckPath
	}
}
