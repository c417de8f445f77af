// A later workflow step written in Go, as Alibaba documents it: github.com/aliyun/credentials-go's default
// credential chain (credentials.NewCredential(nil)), or with -uri a client of type credentials_uri, which reads
// ALIBABA_CLOUD_CREDENTIALS_URI; then STS GetCallerIdentity through darabonba-openapi's generic CallApi, signed with
// that credential. (The Go STS SDK, github.com/alibabacloud-go/sts-20150401, is not served by the Go module proxy;
// CallApi is the client that SDK wraps.) It gets nothing from the tests but the STS endpoint: its credentials come
// from its environment and HOME, and it trusts the emulator's CA through SSL_CERT_FILE, which Go's crypto/x509
// reads on Linux.
//
// Usage: consumer [-uri] [-calls N] [-pause-ms MS] <stsHost>
// Prints one JSON line: {ok, provider, accessKeyId, calls: [{accountId, arn, identityType, accessKeyId}]} or
// {ok: false, error}.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/credentials-go/credentials"
)

type call struct {
	AccountID    string `json:"accountId"`
	Arn          string `json:"arn"`
	IdentityType string `json:"identityType"`
	AccessKeyID  string `json:"accessKeyId"`
}

type output struct {
	Ok          bool   `json:"ok"`
	Provider    string `json:"provider,omitempty"`
	AccessKeyID string `json:"accessKeyId,omitempty"`
	Calls       []call `json:"calls,omitempty"`
	Error       string `json:"error,omitempty"`
}

func main() {
	uri := flag.Bool("uri", false, "build the credential from ALIBABA_CLOUD_CREDENTIALS_URI")
	calls := flag.Int("calls", 1, "GetCallerIdentity calls")
	pauseMs := flag.Int("pause-ms", 0, "pause between calls")
	flag.Parse()
	out, err := run(flag.Arg(0), *uri, *calls, time.Duration(*pauseMs)*time.Millisecond)
	if err != nil {
		out = output{Ok: false, Error: err.Error()}
	}
	line, _ := json.Marshal(out)
	fmt.Println(string(line))
}

func run(stsHost string, uri bool, calls int, pause time.Duration) (output, error) {
	var config *credentials.Config
	if uri {
		config = new(credentials.Config).SetType("credentials_uri")
	}
	credential, err := credentials.NewCredential(config)
	if err != nil {
		return output{}, err
	}
	first, err := credential.GetCredential()
	if err != nil {
		return output{}, err
	}
	client, err := openapi.NewClient(&openapi.Config{Credential: credential, Endpoint: dara.String(stsHost), Protocol: dara.String("https")})
	if err != nil {
		return output{}, err
	}
	params := &openapi.Params{
		Action: dara.String("GetCallerIdentity"), Version: dara.String("2015-04-01"), Protocol: dara.String("HTTPS"),
		Pathname: dara.String("/"), Method: dara.String("POST"), AuthType: dara.String("AK"), Style: dara.String("RPC"),
		ReqBodyType: dara.String("formData"), BodyType: dara.String("json"),
	}
	out := output{Ok: true, Provider: dara.StringValue(first.ProviderName), AccessKeyID: dara.StringValue(first.AccessKeyId)}
	for i := 0; i < calls; i++ {
		if i > 0 {
			time.Sleep(pause)
		}
		result, err := client.CallApi(params, &openapi.OpenApiRequest{}, &dara.RuntimeOptions{})
		if err != nil {
			return output{}, err
		}
		body, _ := result["body"].(map[string]interface{})
		now, err := credential.GetCredential()
		if err != nil {
			return output{}, err
		}
		out.Calls = append(out.Calls, call{
			AccountID: fmt.Sprint(body["AccountId"]), Arn: fmt.Sprint(body["Arn"]), IdentityType: fmt.Sprint(body["IdentityType"]),
			AccessKeyID: dara.StringValue(now.AccessKeyId),
		})
	}
	return out, nil
}
