package catalog

import "strings"

// The access log bucket and its settings. The program registers these
// through infra/awsraw, whose callers spell the same tokens.

// Bucket is the access log bucket.
var Bucket = register(Type{
	Token:     "aws:s3/bucketV2:BucketV2",
	Terraform: "aws_s3_bucket",
	Deploy: Deploy{
		Actions: []string{"s3:CreateBucket", "s3:DeleteBucket", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:GetAccelerateConfiguration", "s3:GetBucketAcl", "s3:GetBucketCORS", "s3:GetBucketLogging", "s3:GetBucketObjectLockConfiguration", "s3:GetBucketPolicy", "s3:GetBucketRequestPayment", "s3:GetBucketTagging", "s3:GetBucketVersioning", "s3:GetBucketWebsite", "s3:GetEncryptionConfiguration", "s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration", "s3:ListBucket", "s3:ListBucketVersions", "s3:PutBucketTagging"},
	},
	Update: Update{
		ReplaceOn: []string{"bucket", "bucketPrefix", "objectLockEnabled"},
		Claims:    namedClaim("S3 bucket", "bucket"),
		Loses:     "the bucket and the access logs in it are deleted",
	},
	Mock: func(m *Mock) {
		bucket := m.Input("bucket")
		if bucket == "" {
			bucket = strings.ToLower(m.Name) + "-" + m.Hex("name", 7)
		}
		m.ID = bucket
		m.Set("bucket", bucket)
		m.Set("arn", "arn:aws:s3:::"+bucket)
		m.Set("bucketDomainName", bucket+".s3.amazonaws.com")
		m.Set("region", m.Region)
	},
	Cost: Cost{Priced: "S3 Standard storage (access logs)"},
})

// bucketSetting is one configuration of the bucket: one of its kind per
// bucket, keyed by the bucket's name.
func bucketSetting(token, terraform, what string, actions []string, replaceOn ...string) *Type {
	return register(Type{
		Token:     token,
		Terraform: terraform,
		Deploy:    Deploy{Actions: actions},
		Update: Update{
			ReplaceOn: append([]string{"bucket"}, replaceOn...),
			Claims:    oneOf("the "+what+" of bucket %v", "bucket"),
		},
		Mock: func(m *Mock) { m.ID = m.Input("bucket") },
		Cost: Cost{Free: "configuration of the bucket"},
	})
}

// The actions of a setting: S3 authorizes its Put and Delete calls with the
// same Put action.
var (
	BucketPublicAccessBlock = bucketSetting("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "aws_s3_bucket_public_access_block", "public access block",
		[]string{"s3:GetBucketPublicAccessBlock", "s3:PutBucketPublicAccessBlock"})
	BucketOwnershipControls = bucketSetting("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "aws_s3_bucket_ownership_controls", "ownership controls",
		[]string{"s3:GetBucketOwnershipControls", "s3:PutBucketOwnershipControls"})
	BucketPolicy = bucketSetting("aws:s3/bucketPolicy:BucketPolicy", "aws_s3_bucket_policy", "bucket policy",
		[]string{"s3:DeleteBucketPolicy", "s3:GetBucketPolicy", "s3:PutBucketPolicy"})
	BucketEncryption = bucketSetting("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "aws_s3_bucket_server_side_encryption_configuration", "encryption configuration",
		[]string{"s3:GetEncryptionConfiguration", "s3:PutEncryptionConfiguration"}, "expectedBucketOwner")
	// Deleting the versioning resource suspends versioning.
	BucketVersioning = bucketSetting("aws:s3/bucketVersioningV2:BucketVersioningV2", "aws_s3_bucket_versioning", "versioning configuration",
		[]string{"s3:GetBucketVersioning", "s3:PutBucketVersioning"}, "expectedBucketOwner")
	BucketLifecycle = bucketSetting("aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "aws_s3_bucket_lifecycle_configuration", "lifecycle configuration",
		[]string{"s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration"}, "expectedBucketOwner")
)
