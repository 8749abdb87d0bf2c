using Sr.Models;
using Sr.Torch;

namespace Sr.MLNet.Tests;

public class DataViewTests
{
    private readonly SrContext _sr = new(seed: 1);

    [Fact]
    public void LoadFromEnumerable_makes_one_column_per_property_and_knows_its_row_count()
    {
        var data = _sr.Data.LoadFromEnumerable(TestData.Rows((4, 5), (6, 7)));
        Assert.Equal(["Name", "Image"], data.Schema.Select(c => c.Name));
        Assert.IsType<TextDataViewType>(data.Schema["Name"].Type);
        Assert.IsType<ImageDataViewType>(data.Schema["Image"].Type);
        Assert.Equal(2, data.GetRowCount());
    }

    [Fact]
    public void CreateEnumerable_returns_the_rows_that_LoadFromEnumerable_took()
    {
        var rows = TestData.Rows((4, 5), (6, 7));
        var back = _sr.Data.CreateEnumerable<TestData.ImageRow>(_sr.Data.LoadFromEnumerable(rows), reuseRowObject: false).ToList();
        Assert.Equal(rows.Select(r => r.Name), back.Select(r => r.Name));
        for (int i = 0; i < rows.Count; i++) Assert.True(torch.allclose(rows[i].Image!.Pixels, back[i].Image!.Pixels, 0, 0));
        Assert.NotSame(rows[0].Image, back[0].Image); // copies, not the caller's objects
    }

    [Fact]
    public void An_image_getter_reuses_the_callers_buffer_when_sizes_repeat()
    {
        var data = _sr.Data.LoadFromEnumerable(TestData.Rows((8, 8), (8, 8), (4, 4)));
        using var cursor = data.GetRowCursor(data.Schema);
        var getter = cursor.GetGetter<SrImage>(data.Schema["Image"]);
        SrImage buffer = null!;
        cursor.MoveNext();
        getter(ref buffer);
        var first = buffer;
        var firstPixels = buffer.Pixels;
        cursor.MoveNext();
        getter(ref buffer);
        Assert.Same(first, buffer);
        Assert.Same(firstPixels, buffer.Pixels); // same native tensor, overwritten in place
        cursor.MoveNext();
        getter(ref buffer);
        Assert.Same(first, buffer); // same object, new tensor for the new size
        Assert.Equal(4, buffer.Height);
        buffer.Dispose();
    }

    [Fact]
    public void Getters_fail_for_the_wrong_type_and_for_inactive_columns()
    {
        var data = _sr.Data.LoadFromEnumerable(TestData.Rows((4, 4)));
        using var cursor = data.GetRowCursor([data.Schema["Name"]]);
        Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<float>(data.Schema["Name"]));
        var e = Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<SrImage>(data.Schema["Image"]));
        Assert.Contains("'Image' is not active", e.Message);
    }

    [Fact]
    public void Transform_is_lazy_nothing_is_computed_until_a_getter_asks_and_each_row_once()
    {
        var counting = new CountingTransformer(("Doubled", "Image"));
        var data = _sr.Data.LoadFromEnumerable(TestData.Rows((4, 4), (4, 4), (4, 4)));
        var view = counting.Transform(data);
        Assert.Equal(0, counting.Calls);
        using var cursor = view.GetRowCursor(view.Schema);
        Assert.Equal(0, counting.Calls);
        cursor.MoveNext();
        cursor.MoveNext();
        Assert.Equal(0, counting.Calls); // moving computes nothing
        var getter = cursor.GetGetter<SrImage>(view.Schema["Doubled"]);
        SrImage img = null!;
        getter(ref img);
        getter(ref img);
        Assert.Equal(1, counting.Calls); // twice on one row: computed once
        cursor.MoveNext();
        getter(ref img);
        Assert.Equal(2, counting.Calls);
        img.Dispose();
    }

    [Fact]
    public void Take_and_skip_select_rows_and_know_the_count()
    {
        var data = _sr.Data.LoadFromEnumerable(TestData.Rows((1, 1), (2, 2), (3, 3), (4, 4), (5, 5)));
        var middle = _sr.Data.TakeRows(_sr.Data.SkipRows(data, 1), 3);
        Assert.Equal(3, middle.GetRowCount());
        Assert.Equal(["img1", "img2", "img3"], _sr.Data.CreateEnumerable<TestData.ImageRow>(middle, false).Select(r => r.Name));
    }

    [Fact]
    public void Shuffling_with_a_seed_is_a_repeatable_permutation()
    {
        var data = _sr.Data.LoadFromEnumerable(TestData.Rows(Enumerable.Range(1, 20).Select(i => (i, 1)).ToArray()));
        var a = _sr.Data.CreateEnumerable<TestData.ImageRow>(_sr.Data.ShuffleRows(data, seed: 3), false).Select(r => r.Name).ToList();
        var b = _sr.Data.CreateEnumerable<TestData.ImageRow>(_sr.Data.ShuffleRows(data, seed: 3), false).Select(r => r.Name).ToList();
        var c = _sr.Data.CreateEnumerable<TestData.ImageRow>(_sr.Data.ShuffleRows(data, seed: 4), false).Select(r => r.Name).ToList();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"img{i}").Order(), a.Order());
    }

    [Fact]
    public void TrainTestSplit_puts_every_row_in_exactly_one_half()
    {
        var data = _sr.Data.LoadFromEnumerable(TestData.Rows(Enumerable.Range(1, 40).Select(i => (1, i)).ToArray()));
        var split = _sr.Data.TrainTestSplit(data, testFraction: 0.25, seed: 5);
        var train = _sr.Data.CreateEnumerable<TestData.ImageRow>(split.TrainSet, false).Select(r => r.Name).ToList();
        var test = _sr.Data.CreateEnumerable<TestData.ImageRow>(split.TestSet, false).Select(r => r.Name).ToList();
        Assert.Equal(40, train.Count + test.Count);
        Assert.Empty(train.Intersect(test));
        Assert.InRange(test.Count, 3, 20);
    }

    [Fact]
    public void A_cache_reads_its_source_once_and_only_when_first_read()
    {
        var counting = new CountingTransformer(("Doubled", "Image"));
        var view = counting.Transform(_sr.Data.LoadFromEnumerable(TestData.Rows((4, 4), (4, 4))));
        var cached = _sr.Data.Cache(view);
        Assert.Equal(0, counting.Calls);
        var first = TestData.Images(cached, "Doubled");
        Assert.Equal(2, counting.Calls);
        var second = TestData.Images(_sr.Data.ShuffleRows(cached, 1), "Doubled");
        Assert.Equal(2, counting.Calls);
        Assert.Equal(2, second.Count);
        ((IDisposable)cached).Dispose();
    }

    [Fact]
    public void LoadImages_lists_a_folder_and_decodes_lazily()
    {
        var set5 = _sr.Data.LoadImages(Path.Combine(TestData.SharedData, "Set5"));
        Assert.Equal(["Name", "Path", "Image"], set5.Schema.Select(c => c.Name));
        var names = _sr.Data.CreateEnumerable<NameRow>(set5, false).Select(r => r.Name).ToList();
        Assert.Equal(["baby", "bird", "butterfly", "head", "woman"], names);
        var glob = _sr.Data.LoadImages(Path.Combine(TestData.SharedData, "Set5", "b*.png"));
        Assert.Equal(3, _sr.Data.CreateEnumerable<NameRow>(glob, false).Count());
        var bird = TestData.Images(_sr.Data.TakeRows(_sr.Data.SkipRows(set5, 1), 1), "Image").Single();
        Assert.Equal([1L, 3, 288, 288], bird.shape);
    }

    [Fact]
    public void LoadImages_reads_a_text_manifest_relative_to_itself()
    {
        var dir = Directory.CreateTempSubdirectory();
        var manifest = Path.Combine(dir.FullName, "list.txt");
        var set5 = Path.Combine(TestData.SharedData, "Set5");
        File.WriteAllLines(manifest, ["# two images", Path.GetRelativePath(dir.FullName, Path.Combine(set5, "head.png")), Path.Combine(set5, "baby.png")]);
        var names = _sr.Data.CreateEnumerable<NameRow>(_sr.Data.LoadImages(manifest), false).Select(r => r.Name);
        Assert.Equal(["head", "baby"], names);
        dir.Delete(true);
    }

    public sealed class NameRow
    {
        public string Name { get; set; } = "";
    }
}
