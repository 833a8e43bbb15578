using System.Diagnostics;
using FluentValidation;
using Mediator;
using Pare.Cell.Api.Infrastructure.Telemetry;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Api.Infrastructure.Messaging;

/// <summary>
/// First in the pipeline: each use case is a span and a measurement (<c>pare.use_case.duration</c>),
/// by name and outcome, and a debug line. Never the payload.
/// </summary>
public sealed class LoggingBehavior<TMessage, TResponse>(ILogger<LoggingBehavior<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse> where TMessage : IMessage
{
    private static readonly string UseCase = typeof(TMessage).Name;
    private static readonly string Kind = typeof(ICommand).IsAssignableFrom(typeof(TMessage))
        || typeof(TMessage).GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICommand<>)) ? "command" : "query";

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        using var activity = PareTracing.Source.StartActivity(UseCase);
        activity?.SetTag("pare.use_case", UseCase);
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        try
        {
            return await next(message, cancellationToken);
        }
        catch (Exception e)
        {
            outcome = Outcome(e);
            activity?.SetStatus(outcome == "error" ? ActivityStatusCode.Error : ActivityStatusCode.Unset);
            activity?.SetTag("pare.outcome", outcome);
            throw;
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            PareMetrics.UseCaseHandled(UseCase, Kind, outcome, elapsed);
            logger.LogDebug("{UseCase} handled in {ElapsedMs:0.0} ms", UseCase, elapsed.TotalMilliseconds);
        }
    }

    private static string Outcome(Exception e) => e switch
    {
        ValidationException => "invalid",
        RefusedException => "refused",
        JasperFx.ConcurrencyException => "conflict",
        OperationCanceledException => "cancelled",
        _ => "error",
    };
}

/// <summary>
/// Last: a command whose answer carries a minor's data (<see cref="Database.IJournaledAnswer"/>)
/// journals its caller before the answer leaves, whatever the method and whether or not anything
/// changed (a PUT of the current value with <c>If-Match: *</c> writes no event and still shows the
/// case). Reads journal in their own statement and are left alone here.
/// </summary>
public sealed class JournaledAnswersBehavior<TMessage, TResponse>(Database.AccessJournal journal, Auth.CurrentUser user)
    : IPipelineBehavior<TMessage, TResponse> where TMessage : IMessage
{
    private static readonly string Action = Database.JournalActions.Answer(typeof(TMessage));

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var response = await next(message, cancellationToken);
        if (message is not IBaseQuery && response is Database.IJournaledAnswer answer)
            await journal.RecordAsync(user, answer.JournaledCaseId, Action, cancellationToken);
        return response;
    }
}

/// <summary>Second: FluentValidation. An invalid message never reaches its handler.</summary>
public sealed class ValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse> where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(message, cancellationToken);
            if (!result.IsValid) throw new ValidationException(result.Errors);
        }
        return await next(message, cancellationToken);
    }
}
