using Compression.Abstractions.Data;
using Compression.Data;

namespace Compression.Plugins.Images;

/// <summary>
/// The images of one split's folder with their labels: a labelled split has one subfolder per class
/// (images anywhere below it), classes in ordinal order of the folder names; an unlabelled split
/// takes the images anywhere below its folder. Files are in ordinal order of their relative paths,
/// so the same folder always gives the same samples in the same order.
/// </summary>
/// <param name="Folder">The split's folder (absolute).</param>
/// <param name="Files">The images, relative to <paramref name="Folder"/> with '/' between folders.</param>
/// <param name="Labels">Each image's class index, or <see cref="LabelledData.NoLabel"/>.</param>
/// <param name="ClassNames">The class folders' names in ordinal order (empty for an unlabelled split).</param>
internal sealed record ImageFolderListing(string Folder, IReadOnlyList<string> Files, int[] Labels, IReadOnlyList<string> ClassNames)
{
    /// <summary>The extensions read (ignoring case); what else a folder holds is an error, hidden files aside.</summary>
    public static readonly IReadOnlyList<string> Extensions = [".png", ".jpg", ".jpeg"];

    /// <summary>The path of image <paramref name="index"/>.</summary>
    public string PathOf(int index) => Path.Combine(Folder, Files[index]);

    /// <summary>Lists a labelled split: one subfolder per class, none empty, no image outside them.</summary>
    /// <param name="folder">The split's folder.</param>
    /// <param name="files">Its data files (<see cref="ImageFolderFormat.FolderFiles"/>).</param>
    /// <exception cref="DataFormatException">No class folder, an empty class folder, a file outside the class folders, or one that is not PNG or JPEG.</exception>
    public static ImageFolderListing Labelled(string folder, IReadOnlyList<string> files)
    {
        CheckExtensions(folder, files);
        string? loose = files.FirstOrDefault(file => !file.Contains('/', StringComparison.Ordinal));
        if (loose is not null)
        {
            throw new DataFormatException(Path.Combine(folder, loose),
                $"{loose}: an image directly in {folder}: expected one subfolder per class with the class's images in it (e.g. {folder}/cat/{loose})");
        }
        string[] classes = [.. Directory.EnumerateDirectories(folder).Select(Path.GetFileName).OfType<string>()
            .Where(name => !name.StartsWith('.')).Order(StringComparer.Ordinal)];
        if (classes.Length == 0)
        {
            throw new DataFormatException(folder, $"{folder}: no class folders: expected one subfolder per class, each holding that class's PNG or JPEG images");
        }
        var index = classes.Select((name, i) => (name, i)).ToDictionary(c => c.name, c => c.i, StringComparer.Ordinal);
        var labels = new int[files.Count];
        var counts = new int[classes.Length];
        for (int i = 0; i < files.Count; i++)
        {
            labels[i] = index[files[i][..files[i].IndexOf('/', StringComparison.Ordinal)]];
            counts[labels[i]]++;
        }
        int empty = Array.IndexOf(counts, 0);
        if (empty >= 0)
        {
            string classFolder = Path.Combine(folder, classes[empty]);
            throw new DataFormatException(classFolder,
                $"{classFolder}: the class folder '{classes[empty]}' holds no images: expected at least one PNG or JPEG file below it (or remove the folder)");
        }
        return new ImageFolderListing(folder, files, labels, classes);
    }

    /// <summary>Lists an unlabelled split: every image below the folder.</summary>
    /// <exception cref="DataFormatException">A file that is not PNG or JPEG.</exception>
    public static ImageFolderListing Unlabelled(string folder, IReadOnlyList<string> files)
    {
        CheckExtensions(folder, files);
        var labels = new int[files.Count];
        Array.Fill(labels, LabelledData.NoLabel);
        return new ImageFolderListing(folder, files, labels, []);
    }

    private static void CheckExtensions(string folder, IReadOnlyList<string> files)
    {
        foreach (string file in files)
        {
            if (!Extensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase))
            {
                throw new DataFormatException(Path.Combine(folder, file),
                    $"{file}: not an image the images format reads: expected a .png, .jpg or .jpeg file (hidden files such as .DS_Store, and Thumbs.db and desktop.ini, are skipped; move anything else out of {folder})");
            }
        }
    }
}
