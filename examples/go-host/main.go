// Command ecsnet-go-host is a small go-plugin host: it launches the ecsnet binary as a
// plugin with AutoMTLS (the way Terraform launches providers), validates one plan through
// the ecsnet.v1.Validator service, prints the findings and shuts the plugin down.
//
// It uses no generated Go code: the Validator's message descriptors are fetched from the
// plugin at run time through gRPC reflection and the messages are built with dynamicpb.
// This keeps the example buildable from Debian's Go packages alone (GOPATH mode, see run.sh).
//
// Usage: ecsnet-go-host -plugin /path/to/ecsnet -plan plan.json [-config .ecsnet.hcl] [-fail-on warning]
// Exit code: the one `ecsnet check` would give (0 clean, 1 a finding reached fail-on,
// 2 bad input or a plugin failure).
package main

import (
	"context"
	"flag"
	"fmt"
	"io/ioutil"
	"os"
	"os/exec"
	"strings"
	"time"

	hclog "github.com/hashicorp/go-hclog"
	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	rpb "google.golang.org/grpc/reflection/grpc_reflection_v1alpha"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"
)

// The handshake ecsnet expects: app protocol 1 and its magic cookie.
var handshake = plugin.HandshakeConfig{
	ProtocolVersion:  1,
	MagicCookieKey:   "ECSNET_PLUGIN_MAGIC_COOKIE",
	MagicCookieValue: "a800653c8c41ae6c89be8ba5f9e71f15038bfa49c92a6e43e1e0eca360cc3a9e",
}

const validatorService = "ecsnet.v1.Validator"

// validatorPlugin only has a client side: the server is the ecsnet binary.
type validatorPlugin struct {
	plugin.NetRPCUnsupportedPlugin
}

func (validatorPlugin) GRPCServer(*plugin.GRPCBroker, *grpc.Server) error {
	return fmt.Errorf("the ecsnet validator is served by the ecsnet binary")
}

func (validatorPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, conn *grpc.ClientConn) (interface{}, error) {
	return conn, nil
}

func main() {
	os.Exit(run())
}

func run() int {
	bin := flag.String("plugin", envOr("ECSNET_BIN", "ecsnet"), "path to the ecsnet binary")
	planPath := flag.String("plan", "", "`terraform show -json` output to validate")
	configPath := flag.String("config", "", "optional .ecsnet.hcl to send along")
	failOn := flag.String("fail-on", "", "error, warning, info or never (default: the configuration's, else error)")
	flag.Parse()
	if *planPath == "" {
		fmt.Fprintln(os.Stderr, "error: -plan is required: give a `terraform show -json` file")
		return 2
	}
	planJSON, err := ioutil.ReadFile(*planPath)
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: cannot read the plan: %v\n", err)
		return 2
	}
	config := ""
	if *configPath != "" {
		b, err := ioutil.ReadFile(*configPath)
		if err != nil {
			fmt.Fprintf(os.Stderr, "error: cannot read the configuration: %v\n", err)
			return 2
		}
		config = string(b)
	}

	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  handshake,
		Plugins:          plugin.PluginSet{"validator": validatorPlugin{}},
		Cmd:              exec.Command(*bin),
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		AutoMTLS:         true,
		Logger: hclog.New(&hclog.LoggerOptions{
			Name:   "go-host",
			Level:  hclog.Warn,
			Output: os.Stderr,
		}),
	})
	// Kill calls plugin.GRPCController/Shutdown and waits for the process to exit.
	defer func() {
		start := time.Now()
		client.Kill()
		fmt.Printf("plugin stopped in %d ms\n", time.Since(start).Milliseconds())
	}()

	started := time.Now()
	rpcClient, err := client.Client()
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: cannot start the ecsnet plugin: %v\n", err)
		return 2
	}
	if err := rpcClient.Ping(); err != nil {
		fmt.Fprintf(os.Stderr, "error: the plugin's health check failed: %v\n", err)
		return 2
	}
	raw, err := rpcClient.Dispense("validator")
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		return 2
	}
	conn := raw.(*grpc.ClientConn)
	fmt.Printf("plugin ready in %d ms (AutoMTLS, protocol %d)\n", time.Since(started).Milliseconds(), client.NegotiatedVersion())

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	files, err := fetchDescriptors(ctx, conn, validatorService)
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: cannot describe %s: %v\n", validatorService, err)
		return 2
	}
	msg := func(name string) *dynamicpb.Message {
		d, err := files.FindDescriptorByName(protoreflect.FullName("ecsnet.v1." + name))
		if err != nil {
			panic(err)
		}
		return dynamicpb.NewMessage(d.(protoreflect.MessageDescriptor))
	}

	info := msg("GetPluginInfoResponse")
	if err := conn.Invoke(ctx, "/ecsnet.v1.Validator/GetPluginInfo", msg("GetPluginInfoRequest"), info); err != nil {
		fmt.Fprintf(os.Stderr, "error: GetPluginInfo: %v\n", err)
		return 2
	}
	fmt.Printf("%s %s, %d rules\n", str(info, "name"), str(info, "version"), info.Get(field(info, "rule_count")).Uint())

	req := msg("ValidatePlanRequest")
	req.Set(field(req, "plan_json"), protoreflect.ValueOfBytes(planJSON))
	req.Set(field(req, "config"), protoreflect.ValueOfString(config))
	req.Set(field(req, "plan_name"), protoreflect.ValueOfString(*planPath))
	if *failOn != "" {
		opts := msg("ValidateOptions")
		opts.Set(field(opts, "fail_on"), protoreflect.ValueOfString(*failOn))
		req.Set(field(req, "options"), protoreflect.ValueOfMessage(opts))
	}
	resp := msg("ValidatePlanResponse")
	err = conn.Invoke(ctx, "/ecsnet.v1.Validator/ValidatePlan", req, resp,
		grpc.MaxCallRecvMsgSize(1<<30), grpc.MaxCallSendMsgSize(1<<30))
	if err != nil {
		// A bad plan or configuration comes back as InvalidArgument with ecsnet's message.
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		return 2
	}

	diags := resp.Get(field(resp, "diagnostics")).List()
	for i := 0; i < diags.Len(); i++ {
		d := diags.Get(i).Message()
		sev := d.Get(d.Descriptor().Fields().ByName("severity")).Enum()
		sevName := strings.ToLower(strings.TrimPrefix(
			string(d.Descriptor().Fields().ByName("severity").Enum().Values().ByNumber(sev).Name()), "SEVERITY_"))
		line := fmt.Sprintf("%-7s %s %s", sevName, str(d, "rule"), str(d, "address"))
		if a := str(d, "attribute"); a != "" {
			line += " (" + a + ")"
		}
		line += ": " + str(d, "message")
		if d.Get(d.Descriptor().Fields().ByName("unverifiable")).Bool() {
			line += " [unverifiable]"
		}
		if s := str(d, "suppressed"); s != "" {
			line += " [suppressed: " + s + "]"
		}
		fmt.Println(line)
	}
	sum := resp.Get(field(resp, "summary")).Message()
	u := func(name string) uint64 {
		return sum.Get(sum.Descriptor().Fields().ByName(protoreflect.Name(name))).Uint()
	}
	fmt.Printf("summary: %d errors, %d warnings, %d infos (%d unverifiable), %d suppressed; fail_on=%s exit_code=%d\n",
		u("errors"), u("warnings"), u("infos"), u("unverifiable"), u("suppressed"),
		sum.Get(sum.Descriptor().Fields().ByName("fail_on")).String(), u("exit_code"))
	return int(u("exit_code"))
}

// fetchDescriptors asks the plugin's reflection service (v1alpha, which grpc-go 1.33 ships)
// for the file defining symbol and everything it imports.
func fetchDescriptors(ctx context.Context, conn *grpc.ClientConn, symbol string) (*protoregistry.Files, error) {
	stream, err := rpb.NewServerReflectionClient(conn).ServerReflectionInfo(ctx)
	if err != nil {
		return nil, err
	}
	defer stream.CloseSend()
	if err := stream.Send(&rpb.ServerReflectionRequest{
		MessageRequest: &rpb.ServerReflectionRequest_FileContainingSymbol{FileContainingSymbol: symbol},
	}); err != nil {
		return nil, err
	}
	resp, err := stream.Recv()
	if err != nil {
		return nil, err
	}
	fdr := resp.GetFileDescriptorResponse()
	if fdr == nil {
		return nil, fmt.Errorf("reflection answered without descriptors: %v", resp.GetErrorResponse())
	}
	set := &descriptorpb.FileDescriptorSet{}
	for _, raw := range fdr.FileDescriptorProto {
		fd := &descriptorpb.FileDescriptorProto{}
		if err := proto.Unmarshal(raw, fd); err != nil {
			return nil, err
		}
		set.File = append(set.File, fd)
	}
	return protodesc.NewFiles(set)
}

func field(m protoreflect.Message, name string) protoreflect.FieldDescriptor {
	fd := m.Descriptor().Fields().ByName(protoreflect.Name(name))
	if fd == nil {
		panic(fmt.Sprintf("%s has no field %s: is this host older than the plugin's protocol?", m.Descriptor().FullName(), name))
	}
	return fd
}

func str(m protoreflect.Message, name string) string {
	return m.Get(field(m, name)).String()
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
