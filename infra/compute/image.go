package compute

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	awsxecr "github.com/pulumi/pulumi-awsx/sdk/v2/go/awsx/ecr"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// newImage builds the image from a build context and pushes it to a
// repository of the stack: scanned on push (Security Hub ECR.1), with
// immutable tags (ECR.2) and a lifecycle policy that keeps the last
// retention images (ECR.3). The tag is a hash of the build context's
// files, so every change of the sources pushes a new tag (awsx's own tag
// is a hash of the context's path, which an immutable repository would
// refuse to push a second time). It returns the image by digest.
//
// Stacks deployed with earlier versions have the repository inside awsx's
// Repository component and its lifecycle policy at the stack's root: the
// aliases move them over.
func newImage(ctx *pulumi.Context, name, buildContext, tag string, retention int, component pulumi.Resource, parent pulumi.ResourceOption) (pulumi.StringOutput, error) {
	repoName := name + "-repo"
	awsxRepo := pulumi.CreateURN(pulumi.String(repoName), pulumi.String("awsx:ecr:Repository"), component.URN().ToStringOutput(), pulumi.String(ctx.Project()), pulumi.String(ctx.Stack()))
	repo, err := ecr.NewRepository(ctx, repoName, &ecr.RepositoryArgs{
		ForceDelete:        pulumi.Bool(true), // it holds only images this stack builds
		ImageTagMutability: pulumi.String("IMMUTABLE"),
		ImageScanningConfiguration: &ecr.RepositoryImageScanningConfigurationArgs{
			ScanOnPush: pulumi.Bool(true),
		},
	}, parent, pulumi.Aliases([]pulumi.Alias{{ParentURN: awsxRepo}}))
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	// A repository has one lifecycle policy, and a new policy document
	// replaces the resource: delete-first, or the old resource's delete
	// would remove the new policy.
	if _, err := ecr.NewLifecyclePolicy(ctx, repoName, &ecr.LifecyclePolicyArgs{
		Repository: repo.Name,
		Policy:     pulumi.String(lifecyclePolicy(retention)),
	}, parent, pulumi.DeleteBeforeReplace(true), pulumi.Aliases([]pulumi.Alias{{NoParent: pulumi.Bool(true)}})); err != nil {
		return pulumi.StringOutput{}, err
	}
	built, err := awsxecr.NewImage(ctx, name+"-image", &awsxecr.ImageArgs{
		RepositoryUrl: repo.RepositoryUrl,
		Context:       pulumi.String(buildContext),
		ImageTag:      pulumi.String(tag),
		Platform:      pulumi.String("linux/amd64"), // RuntimePlatform of the task definition
	}, parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return built.ImageUri, nil // by digest, so every build is a new task definition
}

// lifecyclePolicy keeps the newest n images and expires the rest.
func lifecyclePolicy(n int) string {
	return fmt.Sprintf(`{"rules":[{"rulePriority":1,"description":"keep the last %d images","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":%d},"action":{"type":"expire"}}]}`, n, n)
}

// ContextTag is the image tag for a build context: "src-" and a hash of
// every file the image is built from (tests and the browser test left out),
// by path and content.
func ContextTag(dir string) (string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			if rel == "e2e" || strings.HasPrefix(d.Name(), ".") && rel != "." {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && !strings.HasSuffix(rel, "_test.go") {
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("the build context %s: %w", dir, err)
	}
	sort.Strings(files)
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s\x00", filepath.ToSlash(f))
		b, err := os.Open(filepath.Join(dir, f))
		if err != nil {
			return "", err
		}
		_, err = io.Copy(h, b)
		b.Close()
		if err != nil {
			return "", err
		}
		h.Write([]byte{0})
	}
	return "src-" + hex.EncodeToString(h.Sum(nil))[:16], nil
}
