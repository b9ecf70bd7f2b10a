package catalog

// Key is a customer managed KMS key (the stack's log groups' key).
var Key = register(Type{
	Token:     "aws:kms/key:Key",
	Terraform: "aws_kms_key",
	Deploy: Deploy{
		Actions: []string{"kms:CreateKey", "kms:DescribeKey", "kms:DisableKey", "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation",
			"kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion",
			"kms:TagResource", "kms:UntagResource", "kms:UpdateKeyDescription"},
	},
	Update: Update{
		ReplaceOn: []string{"customKeyStoreId", "customerMasterKeySpec", "keyUsage", "multiRegion", "xksKeyId"},
		Loses:     "every log the key encrypted becomes unreadable when the deletion window ends (KMS schedules the deletion; it can be cancelled until then)",
	},
	Mock: func(m *Mock) {
		id := m.Hex("k1", 8) + "-" + m.Hex("k2", 4) + "-" + m.Hex("k3", 4) + "-" + m.Hex("k4", 4) + "-" + m.Hex("k5", 12)
		m.ID = id
		m.Set("keyId", id)
		m.Set("arn", m.ArnPrefix("kms")+"key/"+id)
	},
	Cost: Cost{Priced: "KMS customer managed keys"},
})
