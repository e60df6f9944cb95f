namespace Workbench.Formal.LanguageModels;

/// <summary>An operation on an autoregressive model of any state type (the visitor side of <see cref="AutoregressiveModelHandle"/>).</summary>
public interface IAutoregressiveModelVisitor<out TResult>
{
    /// <summary>Runs the operation on the model with its concrete state type.</summary>
    TResult Visit<TState>(IAutoregressiveLanguageModel<TState> model);
}

/// <summary>
/// An autoregressive model whose state type is hidden, so that models of different kinds (tables,
/// automata, networks) can sit in one collection or come out of one parser; generic algorithms are
/// reached through <see cref="Accept{TResult}"/>.
/// </summary>
public abstract class AutoregressiveModelHandle
{
    private AutoregressiveModelHandle() { }

    /// <summary>The model as a plain language model.</summary>
    public abstract ILanguageModel Model { get; }

    /// <summary>Runs <paramref name="visitor"/> on the model with its concrete state type.</summary>
    public abstract TResult Accept<TResult>(IAutoregressiveModelVisitor<TResult> visitor);

    /// <summary>Wraps a model.</summary>
    public static AutoregressiveModelHandle Of<TState>(IAutoregressiveLanguageModel<TState> model) => new Typed<TState>(model);

    /// <inheritdoc />
    public override string ToString() => Model.ToString() ?? GetType().Name;

    private sealed class Typed<TState>(IAutoregressiveLanguageModel<TState> model) : AutoregressiveModelHandle
    {
        public override ILanguageModel Model => model;

        public override TResult Accept<TResult>(IAutoregressiveModelVisitor<TResult> visitor) => visitor.Visit(model);
    }
}
