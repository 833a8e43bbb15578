using FluentValidation;

namespace Pare.Cell.Api.Infrastructure.Http;

/// <summary>Validates a request body that does not go through the mediator (a partner's episode report reuses the worker's validators).</summary>
public sealed class ValidateBody<T>(IEnumerable<IValidator<T>> validators) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (context.Arguments.OfType<T>().FirstOrDefault() is { } body)
            foreach (var validator in validators)
            {
                var result = await validator.ValidateAsync(body, context.HttpContext.RequestAborted);
                if (!result.IsValid) throw new ValidationException(result.Errors);
            }
        return await next(context);
    }
}
