using System.IO.Compression;
using System.Text;
using Polyarch.Testing;

namespace Polyarch.Runtimes.Tests;

/// <summary>The repository's example actions, and a zip action made here.</summary>
internal static class ExampleActions
{
    /// <summary>examples/python-hello/hello.py.</summary>
    public static string HelloPy => RepositoryRoot.Combine("examples", "python-hello", "hello.py");

    /// <summary>examples/notebook-train/train.ipynb.</summary>
    public static string TrainNotebook => RepositoryRoot.Combine("examples", "notebook-train", "train.ipynb");

    /// <summary>examples/retrain/NAME: the retrain workflow's actions (make_batches.py, train.py, test.ipynb, decide.py).</summary>
    public static string Retrain(string name) => RepositoryRoot.Combine("examples", "retrain", name);

    /// <summary>
    /// A zip with <c>__main__.py</c> importing a module beside it (<c>helpers/greeting.py</c>): answers the machine and
    /// the GREETING environment value, and raises ValueError with the <c>fail</c> parameter's text when there is one.
    /// </summary>
    public static byte[] ZipAction()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "__main__.py", """
                import platform
                import sys

                from helpers.greeting import greeting


                def main(args):
                    if "fail" in args:
                        print("about to fail", file=sys.stderr)
                        raise ValueError(f"asked to fail: {args['fail']}")
                    return {"machine": platform.machine(), "greeting": greeting(), "params": args}
                """);
            Add(zip, "helpers/__init__.py", "");
            Add(zip, "helpers/greeting.py", """
                import os


                def greeting():
                    return os.environ.get("GREETING", "no GREETING")
                """);
        }

        return buffer.ToArray();
    }

    private static void Add(ZipArchive zip, string name, string text)
    {
        using var stream = zip.CreateEntry(name).Open();
        stream.Write(Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\n") + "\n"));
    }
}
