// Command ecsnet-go-host is a small go-plugin host: it launches the ecsnet binary as a
// plugin with AutoMTLS (the way Terraform launches providers), validates one plan through
// the ecsnet.v1.Validator service, prints the findings and shuts the plugin down.
//
// It uses no generated Go code: the Validator's message descriptors are fetched from the
// plugin at run time through gRPC reflection and the messages are built with dynamicpb.
// This keeps the example buildable from Debian's Go packages alone (GOPATH mode, see run.sh).
//
// Plans larger than 4 MiB go through ValidatePlanStream in 1 MiB chunks, with the plan's
// size announced in the first one (what the plugin's README recommends for large plans);
// smaller ones through ValidatePlan. -stream always|never overrides the choice.
//
// Usage: ecsnet-go-host -plugin /path/to/ecsnet -plan plan.json [-config .ecsnet.hcl] [-fail-on warning] [-stream auto]
// Exit code: the one `ecsnet check` would give (0 clean, 1 a finding reached fail-on,
// 2 bad input or a plugin failure).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
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

// Plans above this size are streamed (in auto mode), in chunks of streamChunk bytes.
const (
	streamAbove = 4 << 20
	streamChunk = 1 << 20
)

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
	streamMode := flag.String("stream", "auto", "auto (stream plans over 4 MiB), always or never")
	flag.Parse()
	if *streamMode != "auto" && *streamMode != "always" && *streamMode != "never" {
		fmt.Fprintf(os.Stderr, "error: -stream %q: use auto, always or never\n", *streamMode)
		return 2
	}
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

	// What goes with the plan: the same fields in ValidatePlanRequest and in the stream's header.
	setCommon := func(m *dynamicpb.Message) {
		m.Set(field(m, "config"), protoreflect.ValueOfString(config))
		m.Set(field(m, "plan_name"), protoreflect.ValueOfString(*planPath))
		if *failOn != "" {
			opts := msg("ValidateOptions")
			opts.Set(field(opts, "fail_on"), protoreflect.ValueOfString(*failOn))
			m.Set(field(m, "options"), protoreflect.ValueOfMessage(opts))
		}
	}
	stream := *streamMode == "always" || (*streamMode == "auto" && len(planJSON) > streamAbove)
	resp := msg("ValidatePlanResponse")
	validateStarted := time.Now()
	rpc := "ValidatePlan"
	if stream {
		rpc = "ValidatePlanStream"
		err = validateStreamed(ctx, conn, msg, setCommon, planJSON, resp)
	} else {
		req := msg("ValidatePlanRequest")
		req.Set(field(req, "plan_json"), protoreflect.ValueOfBytes(planJSON))
		setCommon(req)
		err = conn.Invoke(ctx, "/ecsnet.v1.Validator/ValidatePlan", req, resp,
			grpc.MaxCallRecvMsgSize(1<<30), grpc.MaxCallSendMsgSize(1<<30))
	}
	if err != nil {
		// A bad plan or configuration comes back as InvalidArgument with ecsnet's message.
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		return 2
	}
	fmt.Printf("validated %d bytes through %s in %d ms\n", len(planJSON), rpc, time.Since(validateStarted).Milliseconds())

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

// validateStreamed sends the plan through ValidatePlanStream: the first chunk carries the
// header (with the plan's size, so the plugin allocates its buffer once), every chunk up to
// streamChunk bytes of the plan.
func validateStreamed(ctx context.Context, conn *grpc.ClientConn, msg func(string) *dynamicpb.Message,
	setCommon func(*dynamicpb.Message), planJSON []byte, resp *dynamicpb.Message) error {
	desc := &grpc.StreamDesc{StreamName: "ValidatePlanStream", ClientStreams: true}
	s, err := conn.NewStream(ctx, desc, "/ecsnet.v1.Validator/ValidatePlanStream", grpc.MaxCallRecvMsgSize(1<<30))
	if err != nil {
		return err
	}
	for at := 0; ; at += streamChunk {
		end := at + streamChunk
		if end > len(planJSON) {
			end = len(planJSON)
		}
		chunk := msg("ValidatePlanChunk")
		if at == 0 {
			header := msg("ValidatePlanHeader")
			setCommon(header)
			header.Set(field(header, "plan_size"), protoreflect.ValueOfUint64(uint64(len(planJSON))))
			chunk.Set(field(chunk, "header"), protoreflect.ValueOfMessage(header))
		}
		chunk.Set(field(chunk, "plan_json"), protoreflect.ValueOfBytes(planJSON[at:end]))
		if err := s.SendMsg(chunk); err != nil {
			if err == io.EOF {
				break // the plugin ended the call early: RecvMsg gives its status
			}
			return err
		}
		if end == len(planJSON) {
			break
		}
	}
	if err := s.CloseSend(); err != nil {
		return err
	}
	return s.RecvMsg(resp)
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
