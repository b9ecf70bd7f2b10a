package config

import (
	"encoding/json"
	"reflect"
	"slices"
)

// Provider is the stack's AWS provider configuration (the aws: namespace),
// as far as the program reads it: its region, and who it acts as. A second
// provider (the us-east-1 one a custom sign-in domain's certificate needs)
// inherits nothing from the stack's configuration, so it is given the same
// credentials settings (Credentials), or the stack is refused.
type Provider struct {
	// Region is aws:region: every resource, the certificate included, is
	// created there.
	Region string
	Credentials
}

// Credentials are the provider settings that decide which principal, in
// which account, the provider acts as. Each field holds its key's value as
// the stack sets it (empty: not set).
type Credentials struct {
	Profile                   string                     `aws:"profile"`
	SharedConfigFiles         []string                   `aws:"sharedConfigFiles"`
	SharedCredentialsFiles    []string                   `aws:"sharedCredentialsFiles"`
	AssumeRole                *AssumeRole                `aws:"assumeRole"`
	AssumeRoleWithWebIdentity *AssumeRoleWithWebIdentity `aws:"assumeRoleWithWebIdentity"`
	AllowedAccountIds         []string                   `aws:"allowedAccountIds"`
	ForbiddenAccountIds       []string                   `aws:"forbiddenAccountIds"`
	AccessKey                 string                     `aws:"accessKey"`
	SecretKey                 string                     `aws:"secretKey"`
	Token                     string                     `aws:"token"`
	StsRegion                 string                     `aws:"stsRegion"`
}

// AssumeRole is aws:assumeRole (pulumi-aws v6 takes one role).
type AssumeRole struct {
	RoleArn           string            `json:"roleArn"`
	SessionName       string            `json:"sessionName,omitempty"`
	ExternalID        string            `json:"externalId,omitempty"`
	Duration          string            `json:"duration,omitempty"`
	Policy            string            `json:"policy,omitempty"`
	PolicyArns        []string          `json:"policyArns,omitempty"`
	Tags              map[string]string `json:"tags,omitempty"`
	TransitiveTagKeys []string          `json:"transitiveTagKeys,omitempty"`
	SourceIdentity    string            `json:"sourceIdentity,omitempty"`
}

// AssumeRoleWithWebIdentity is aws:assumeRoleWithWebIdentity.
type AssumeRoleWithWebIdentity struct {
	RoleArn              string   `json:"roleArn"`
	SessionName          string   `json:"sessionName,omitempty"`
	Duration             string   `json:"duration,omitempty"`
	Policy               string   `json:"policy,omitempty"`
	PolicyArns           []string `json:"policyArns,omitempty"`
	WebIdentityToken     string   `json:"webIdentityToken,omitempty"`
	WebIdentityTokenFile string   `json:"webIdentityTokenFile,omitempty"`
}

// Keys of the aws: namespace the program reads.
const (
	RegionKey = "aws:region"
	// EndpointsKey and AssumeRolesKey cannot be carried to the us-east-1
	// provider (endpoints are per region; pulumi-aws v6 reads one role).
	EndpointsKey   = "aws:endpoints"
	AssumeRolesKey = "aws:assumeRoles"
)

// readProvider reads the aws: settings: each field of Credentials from the
// key its aws tag names (strings as they are, the rest as JSON).
func readProvider(p *parser) Provider {
	pr := Provider{Region: p.provider(RegionKey)}
	v := reflect.ValueOf(&pr.Credentials).Elem()
	for i := 0; i < v.NumField(); i++ {
		key := "aws:" + v.Type().Field(i).Tag.Get("aws")
		raw, ok := p.lookup(key)
		if !ok || raw == "" {
			continue
		}
		f := v.Field(i)
		if f.Kind() == reflect.String {
			f.SetString(raw)
			continue
		}
		if err := json.Unmarshal([]byte(raw), f.Addr().Interface()); err != nil {
			// The message must not echo the value: it may hold a secret.
			p.bad(key, "is not what the AWS provider reads here (%v): see the Pulumi AWS provider's configuration reference", err)
		}
	}
	return pr
}

// checkProvider refuses provider settings that a second, us-east-1
// provider (a custom sign-in domain's certificate) cannot carry.
func checkProvider(p *parser, c *Config) {
	if c.AuthDomainName == "" {
		return
	}
	for key, why := range map[string]string{
		EndpointsKey:   "custom endpoints are per region, and the sign-in domain's certificate is made in us-east-1, where they would send its calls to the wrong place. Deploy without custom endpoints, or without authDomainName",
		AssumeRolesKey: "pulumi-aws v6 reads aws:assumeRole (one role), so the us-east-1 provider cannot act as the stack's provider would: set aws:assumeRole instead",
	} {
		if v, ok := p.lookup(key); ok && v != "" && v != "[]" && v != "{}" {
			p.add(key, "is set, and authDomainName needs a second AWS provider in us-east-1 that acts exactly as the stack's: %s", why)
		}
	}
	if ids := c.Provider.AllowedAccountIds; len(ids) > 0 && slices.ContainsFunc(c.Provider.ForbiddenAccountIds, func(id string) bool { return slices.Contains(ids, id) }) {
		p.add("aws:forbiddenAccountIds", "names an account aws:allowedAccountIds allows: remove it from one of the two")
	}
}
