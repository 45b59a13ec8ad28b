using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Invocation;

namespace Polyarch.Invoker.Core.Tests.CodeActions;

/// <summary>The one proxy client's bodies (OpenWhisk's /init and /run), the /init error and the code's validation.</summary>
public sealed class ActionProtocolPayloadTests
{
    [Fact]
    public void Run_body_has_OpenWhisks_fields_and_a_numeric_deadline()
    {
        var deadline = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_123);

        var body = ActionHttpClient.RunPayload(new JsonObject { ["x"] = 1 }, "hello", "0123456789abcdef0123456789abcdef", deadline);

        body.ToJsonString().ShouldBe("""{"value":{"x":1},"namespace":"polyarch","action_name":"hello","activation_id":"0123456789abcdef0123456789abcdef","transaction_id":"0123456789abcdef0123456789abcdef","deadline":1790000000123}""");
    }

    [Fact]
    public void Init_body_of_a_code_action_carries_code_main_binary_and_env_a_blackbox_action_sends_none()
    {
        var env = new Dictionary<string, string> { ["K"] = "V" };

        var text = ActionHttpClient.InitPayload("a", env, ActionCode.FromText("print(1)\n", "run"), 5000);
        var zip = ActionHttpClient.InitPayload("a", env, ActionCode.FromZip([(byte)'P', (byte)'K', 3, 4]), 5000);
        var blackbox = ActionHttpClient.InitPayload("a", env, code: null, 5000);

        text.ToJsonString().ShouldBe("""{"value":{"name":"a","main":"run","code":"print(1)\n","binary":false,"env":{"K":"V","POLYARCH_FILES_MAX_BYTES":"5000"}}}""");
        zip["value"]!["binary"]!.GetValue<bool>().ShouldBeTrue();
        zip["value"]!["code"]!.GetValue<string>().ShouldBe("UEsDBA==");
        blackbox.ToJsonString().ShouldBe("""{"value":{"name":"a","main":"main","code":"","binary":false,"env":{"K":"V","POLYARCH_FILES_MAX_BYTES":"5000"}}}""");
    }

    [Fact]
    public void Init_env_carries_the_invokers_files_cap_over_an_actions_own_value()
    {
        var env = new Dictionary<string, string> { ["POLYARCH_FILES_MAX_BYTES"] = "999999999", ["K"] = "V" };

        var body = ActionHttpClient.InitPayload("a", env, ActionCode.FromText("x"), 4096);

        body["value"]!["env"]!.ToJsonString().ShouldBe("""{"K":"V","POLYARCH_FILES_MAX_BYTES":"4096"}""");
    }

    [Fact]
    public void An_answer_over_the_bound_names_the_cap_and_the_options()
    {
        var options = new InvokerOptions { MaxResultBytes = 2048, MaxFilesBytes = 3000 };

        var outcome = OutcomeClassifier.AnswerTooLarge(options);

        outcome.Status.ShouldBe(ActivationStatus.DeveloperError);
        outcome.Truncated.ShouldBeTrue();
        var error = outcome.Result!["error"]!.GetValue<string>();
        error.ShouldContain($"larger than the limit of {options.MaxAnswerBytes} bytes");
        error.ShouldContain("Invoker:MaxResultBytes 2048");
        error.ShouldContain("Invoker:MaxFilesBytes 3000");
    }

    [Theory]
    [InlineData(502, """{"error":"SyntaxError: invalid syntax (line 3)"}""", "The action failed to initialize: SyntaxError: invalid syntax (line 3) (POST /init answered 502)")]
    [InlineData(403, """{"error":"Cannot initialize the action more than once."}""", "The action failed to initialize: Cannot initialize the action more than once. (POST /init answered 403)")]
    [InlineData(500, "boom", "The action failed to initialize: POST /init answered 500: boom")]
    [InlineData(502, """{"error":{"line":3}}""", """The action failed to initialize: {"line":3} (POST /init answered 502)""")]
    public void An_init_refusal_is_a_developer_error_with_the_runtimes_message(int status, string body, string expected)
    {
        var outcome = OutcomeClassifier.FromInitResponse(status, Encoding.UTF8.GetBytes(body));

        outcome.Status.ShouldBe(ActivationStatus.DeveloperError);
        outcome.Result!["error"]!.GetValue<string>().ShouldBe(expected);
    }

    [Fact]
    public void A_notebook_is_recognised_by_its_content_and_the_digest_is_of_the_bytes()
    {
        var code = ActionCode.FromText("""{"cells": [], "nbformat": 4}""");

        code.Kind.ShouldBe(ActionCodeKind.Notebook);
        ActionCode.FromText("{\"cells\": 1}").Kind.ShouldBe(ActionCodeKind.Text);
        ActionCode.FromText("not json {").Kind.ShouldBe(ActionCodeKind.Text);
        ActionCode.FromText("é").Sha256.ShouldBe("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("é"u8)));
        ActionCode.FromText("é").Size.ShouldBe(2);
        JsonSerializer.Serialize(code.WithoutContent(), Polyarch.Invoker.Json.InvokerJson.Options).ShouldNotContain("content");
    }

    [Fact]
    public void Code_over_the_cap_or_with_exec_or_a_bad_main_is_refused_naming_the_fix()
    {
        var action = new ActionDefinition { Name = "big", Image = "127.0.0.1:5000/polyarch/python:3.11", Code = ActionCode.FromText(new string('x', 2048)) };

        ActionValidator.Validate(action, 4096).ShouldBeEmpty();
        ActionValidator.Validate(action, 1024).ShouldHaveSingleItem().ShouldBe(
            "The code of action 'big' is 2048 bytes; the cap is 1024 bytes (Invoker:MaxCodeBytes). Make the code smaller (leave data sets and models out of it, read them at run time) or raise Invoker:MaxCodeBytes (POLYARCH_Invoker__MaxCodeBytes).");
        ActionValidator.Validate(action with { Protocol = ActionProtocol.Exec }).ShouldHaveSingleItem().ShouldContain("--protocol http");
        ActionValidator.Validate(action with { Code = action.Code! with { Main = "$(rm -rf)" } }).ShouldHaveSingleItem().ShouldContain("Main '$(rm -rf)' is invalid");
    }
}
