// Command verify is the reference side of test/go-diff.test.ts: it reads a JSON list of
// verification cases on stdin and prints, for each, what Go's crypto/x509 says — the verdict of
// Certificate.Verify and err.Error() word for word. Standard library only, so the Go installed on
// the machine (Debian's golang-go in CI) is the only thing it needs.
package main

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"time"
)

type verifyCase struct {
	Leaf          string   `json:"leaf"`
	Intermediates []string `json:"intermediates"`
	Roots         []string `json:"roots"`
	CurrentTime   string   `json:"currentTime"`
	DNSName       string   `json:"dnsName"`
	KeyUsages     []string `json:"keyUsages"`
}

type verdict struct {
	OK bool `json:"ok"`
	// Error is err.Error() of Verify, or of ParseCertificate when a certificate does not parse.
	Error string `json:"error,omitempty"`
	// Stage says where Go stopped: "parse" or "verify".
	Stage string `json:"stage,omitempty"`
	// ChainLength is the length of the first chain Verify returned.
	ChainLength int `json:"chainLength,omitempty"`
}

var keyUsages = map[string]x509.ExtKeyUsage{
	"serverAuth": x509.ExtKeyUsageServerAuth,
	"clientAuth": x509.ExtKeyUsageClientAuth,
	"any":        x509.ExtKeyUsageAny,
}

func parse(pemText string) (*x509.Certificate, error) {
	block, _ := pem.Decode([]byte(pemText))
	if block == nil {
		return nil, errors.New("no PEM block")
	}
	return x509.ParseCertificate(block.Bytes)
}

func pool(pems []string) (*x509.CertPool, error) {
	p := x509.NewCertPool()
	for _, text := range pems {
		cert, err := parse(text)
		if err != nil {
			return nil, err
		}
		p.AddCert(cert)
	}
	return p, nil
}

func run(c verifyCase) verdict {
	leaf, err := parse(c.Leaf)
	if err != nil {
		return verdict{Error: err.Error(), Stage: "parse"}
	}
	intermediates, err := pool(c.Intermediates)
	if err != nil {
		return verdict{Error: err.Error(), Stage: "parse"}
	}
	roots, err := pool(c.Roots)
	if err != nil {
		return verdict{Error: err.Error(), Stage: "parse"}
	}
	now, err := time.Parse(time.RFC3339Nano, c.CurrentTime)
	if err != nil {
		return verdict{Error: "bad currentTime: " + err.Error(), Stage: "input"}
	}
	opts := x509.VerifyOptions{Roots: roots, Intermediates: intermediates, CurrentTime: now, DNSName: c.DNSName}
	for _, name := range c.KeyUsages {
		usage, ok := keyUsages[name]
		if !ok {
			return verdict{Error: "unknown key usage " + name, Stage: "input"}
		}
		opts.KeyUsages = append(opts.KeyUsages, usage)
	}
	chains, err := leaf.Verify(opts)
	if err != nil {
		return verdict{Error: err.Error(), Stage: "verify"}
	}
	return verdict{OK: true, ChainLength: len(chains[0])}
}

func main() {
	var cases []verifyCase
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		fmt.Fprintln(os.Stderr, "verify: reading cases:", err)
		os.Exit(2)
	}
	out := make([]verdict, len(cases))
	for i, c := range cases {
		out[i] = run(c)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "verify:", err)
		os.Exit(2)
	}
}
