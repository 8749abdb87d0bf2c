namespace Sr.MLNet;

/// <summary>A model zip that cannot be loaded: foreign, truncated, tampered, too new, or naming an unknown transformer. The message names the file and the problem.</summary>
public sealed class ModelFormatException : Exception
{
    public ModelFormatException(string path, string problem, Exception? inner = null) : base($"{path}: {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }

    public string Path { get; }
    public string Problem { get; }
}
