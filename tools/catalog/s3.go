package catalog

import "strings"

// The access log bucket and its settings. The program registers these
// through infra/awsraw, whose callers spell the same tokens.

// Bucket is the access log bucket.
var Bucket = register(Type{
	Token:     "aws:s3/bucketV2:BucketV2",
	Terraform: "aws_s3_bucket",
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
func bucketSetting(token, terraform, what string, replaceOn ...string) *Type {
	return register(Type{
		Token:     token,
		Terraform: terraform,
		Update: Update{
			ReplaceOn: append([]string{"bucket"}, replaceOn...),
			Claims:    oneOf("the "+what+" of bucket %v", "bucket"),
		},
		Mock: func(m *Mock) { m.ID = m.Input("bucket") },
		Cost: Cost{Free: "configuration of the bucket"},
	})
}

var (
	BucketPublicAccessBlock = bucketSetting("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "aws_s3_bucket_public_access_block", "public access block")
	BucketOwnershipControls = bucketSetting("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "aws_s3_bucket_ownership_controls", "ownership controls")
	BucketPolicy            = bucketSetting("aws:s3/bucketPolicy:BucketPolicy", "aws_s3_bucket_policy", "bucket policy")
	BucketEncryption        = bucketSetting("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "aws_s3_bucket_server_side_encryption_configuration", "encryption configuration", "expectedBucketOwner")
	BucketLifecycle         = bucketSetting("aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "aws_s3_bucket_lifecycle_configuration", "lifecycle configuration", "expectedBucketOwner")
)
