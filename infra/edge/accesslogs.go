package edge

import (
	"encoding/json"

	"github.com/example/alb-cognito-fargate/infra/awsraw"
	"github.com/example/alb-cognito-fargate/infra/regions"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The S3 resources, registered through awsraw (the s3 package would add
// about 15 s to every cold build for six small resources).
const (
	tBucket            = "aws:s3/bucketV2:BucketV2"
	tPublicAccessBlock = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	tOwnership         = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
	tEncryption        = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	tVersioning        = "aws:s3/bucketVersioningV2:BucketVersioningV2"
	tLifecycle         = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"
	tBucketPolicy      = "aws:s3/bucketPolicy:BucketPolicy"
)

type bucketInputs struct {
	// ForceDestroy lets Pulumi delete the bucket with its logs in it.
	ForceDestroy bool `pulumi:"forceDestroy"`
}

type publicAccessBlockInputs struct {
	Bucket                pulumi.StringInput `pulumi:"bucket"`
	BlockPublicAcls       bool               `pulumi:"blockPublicAcls"`
	BlockPublicPolicy     bool               `pulumi:"blockPublicPolicy"`
	IgnorePublicAcls      bool               `pulumi:"ignorePublicAcls"`
	RestrictPublicBuckets bool               `pulumi:"restrictPublicBuckets"`
}

type ownershipInputs struct {
	Bucket pulumi.StringInput `pulumi:"bucket"`
	Rule   struct {
		ObjectOwnership string `pulumi:"objectOwnership"`
	} `pulumi:"rule"`
}

type encryptionInputs struct {
	Bucket pulumi.StringInput `pulumi:"bucket"`
	Rules  []encryptionRule   `pulumi:"rules"`
}

type encryptionRule struct {
	ApplyServerSideEncryptionByDefault struct {
		SseAlgorithm string `pulumi:"sseAlgorithm"`
	} `pulumi:"applyServerSideEncryptionByDefault"`
}

type versioningInputs struct {
	Bucket                  pulumi.StringInput `pulumi:"bucket"`
	VersioningConfiguration struct {
		Status string `pulumi:"status"`
	} `pulumi:"versioningConfiguration"`
}

type lifecycleInputs struct {
	Bucket pulumi.StringInput `pulumi:"bucket"`
	Rules  []lifecycleRule    `pulumi:"rules"`
}

type lifecycleRule struct {
	ID     string `pulumi:"id"`
	Status string `pulumi:"status"`
	Filter struct {
		Prefix string `pulumi:"prefix"`
	} `pulumi:"filter"`
	// S3 refuses days and expiredObjectDeleteMarker in one expiration,
	// even a false one: the one not meant is left out.
	Expiration struct {
		Days                      *int  `pulumi:"days"`
		ExpiredObjectDeleteMarker *bool `pulumi:"expiredObjectDeleteMarker"`
	} `pulumi:"expiration"`
	NoncurrentVersionExpiration    *noncurrentExpiration `pulumi:"noncurrentVersionExpiration"`
	AbortIncompleteMultipartUpload *abortUpload          `pulumi:"abortIncompleteMultipartUpload"`
}

type noncurrentExpiration struct {
	NoncurrentDays int `pulumi:"noncurrentDays"`
}

type abortUpload struct {
	DaysAfterInitiation int `pulumi:"daysAfterInitiation"`
}

type bucketPolicyInputs struct {
	Bucket pulumi.StringInput `pulumi:"bucket"`
	Policy pulumi.StringInput `pulumi:"policy"`
}

// AccessLogPrefix is where the load balancer writes in the bucket.
const AccessLogPrefix = "alb"

// newAccessLogs makes the bucket the load balancer writes its access logs
// to (Security Hub ELB.5): no public access, the bucket owner owns every
// object, SSE-S3 (the only encryption ELB log delivery supports), TLS-only,
// writable by the region's log delivery only under the ALB's prefix,
// versioned, logs expired after retentionDays. A log that expires or that
// someone deletes stays a noncurrent version for retentionDays more, so
// it can be recovered, and is then deleted for good (with the delete
// marker its expiry left). It returns the bucket's name and the policy,
// which must exist before the load balancer turns logging on (ELB writes a
// test file when it does). With protect, the bucket (and its logs) survive a
// `pulumi destroy` and Pulumi refuses to delete it.
func newAccessLogs(ctx *pulumi.Context, name, region string, account pulumi.StringInput, retentionDays int, protect bool, parent pulumi.ResourceOption) (pulumi.StringOutput, pulumi.Resource, error) {
	bucket, err := awsraw.Register(ctx, tBucket, name+"-access-logs", &bucketInputs{ForceDestroy: !protect}, parent, pulumi.Protect(protect))
	if err != nil {
		return pulumi.StringOutput{}, nil, err
	}
	// One bucket setting at a time: S3 may answer a new bucket's
	// concurrent configuration calls with 409 OperationAborted.
	pab, err := awsraw.Register(ctx, tPublicAccessBlock, name+"-access-logs", &publicAccessBlockInputs{
		Bucket: bucket.Bucket, BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
	}, parent)
	if err != nil {
		return pulumi.StringOutput{}, nil, err
	}
	own := &ownershipInputs{Bucket: bucket.Bucket}
	own.Rule.ObjectOwnership = "BucketOwnerEnforced"
	ownership, err := awsraw.Register(ctx, tOwnership, name+"-access-logs", own, parent, pulumi.DependsOn([]pulumi.Resource{pab}))
	if err != nil {
		return pulumi.StringOutput{}, nil, err
	}
	enc := encryptionRule{}
	enc.ApplyServerSideEncryptionByDefault.SseAlgorithm = "AES256"
	encryption, err := awsraw.Register(ctx, tEncryption, name+"-access-logs", &encryptionInputs{Bucket: bucket.Bucket, Rules: []encryptionRule{enc}}, parent, pulumi.DependsOn([]pulumi.Resource{ownership}))
	if err != nil {
		return pulumi.StringOutput{}, nil, err
	}
	ver := &versioningInputs{Bucket: bucket.Bucket}
	ver.VersioningConfiguration.Status = "Enabled"
	versioning, err := awsraw.Register(ctx, tVersioning, name+"-access-logs", ver, parent, pulumi.DependsOn([]pulumi.Resource{encryption}))
	if err != nil {
		return pulumi.StringOutput{}, nil, err
	}
	lifecycle, err := awsraw.Register(ctx, tLifecycle, name+"-access-logs", &lifecycleInputs{Bucket: bucket.Bucket, Rules: lifecycleRules(retentionDays)},
		parent, pulumi.DependsOn([]pulumi.Resource{versioning}))
	if err != nil {
		return pulumi.StringOutput{}, nil, err
	}
	policy, err := awsraw.Register(ctx, tBucketPolicy, name+"-access-logs", &bucketPolicyInputs{
		Bucket: bucket.Bucket,
		Policy: pulumi.All(bucket.Arn, account).ApplyT(func(v []any) (string, error) {
			return accessLogPolicy(v[0].(string), v[1].(string), region)
		}).(pulumi.StringOutput),
	}, parent, pulumi.DependsOn([]pulumi.Resource{lifecycle}))
	if err != nil {
		return pulumi.StringOutput{}, nil, err
	}
	return bucket.Bucket, policy, nil
}

// lifecycleRules expire logs after retentionDays, their noncurrent
// versions retentionDays later, and then the delete markers left behind
// (S3 takes days and expiredObjectDeleteMarker in separate rules).
func lifecycleRules(retentionDays int) []lifecycleRule {
	yes := true
	logs := lifecycleRule{ID: "expire-access-logs", Status: "Enabled",
		NoncurrentVersionExpiration:    &noncurrentExpiration{NoncurrentDays: retentionDays},
		AbortIncompleteMultipartUpload: &abortUpload{DaysAfterInitiation: 7}}
	logs.Expiration.Days = &retentionDays
	markers := lifecycleRule{ID: "remove-expired-delete-markers", Status: "Enabled"}
	markers.Expiration.ExpiredObjectDeleteMarker = &yes
	return []lifecycleRule{logs, markers}
}

// accessLogPolicy: TLS only, and the region's Elastic Load Balancing log
// delivery may put objects under the ALB's prefix for this account.
func accessLogPolicy(bucketArn, account, region string) (string, error) {
	principal := map[string]string{"Service": regions.ElbLogDeliveryService}
	if r, ok := regions.Lookup(region); ok && r.ElbLogAccount != "" {
		principal = map[string]string{"AWS": "arn:aws:iam::" + r.ElbLogAccount + ":root"}
	}
	doc := map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{
			map[string]any{
				"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
				"Resource":  []string{bucketArn, bucketArn + "/*"},
				"Condition": map[string]any{"Bool": map[string]string{"aws:SecureTransport": "false"}},
			},
			map[string]any{
				"Sid": "ElbLogDelivery", "Effect": "Allow", "Principal": principal, "Action": "s3:PutObject",
				"Resource": bucketArn + "/" + AccessLogPrefix + "/AWSLogs/" + account + "/*",
			},
		},
	}
	b, err := json.Marshal(doc)
	return string(b), err
}
