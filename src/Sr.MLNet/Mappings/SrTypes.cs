using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Sr.MLNet.Mappings;

/// <summary>
/// Registers the column types SrMlNet's row classes use with ML.NET's <c>DataViewTypeManager</c>: <see cref="SrImage"/>, and
/// ImageAnalytics' <c>MLImage</c> (ML.NET 5 does not register it itself; measured). Called by every catalog method and by every
/// mapping factory, so a model loaded in a fresh process finds them too.
/// </summary>
internal static class SrTypes
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        TryRegister(SrImageDataViewType.Instance, typeof(SrImage));
        TryRegister(new ImageDataViewType(), typeof(MLImage));
    }

    private static void TryRegister(DataViewType type, Type raw)
    {
        try
        {
            DataViewTypeManager.Register(type, raw);
        }
        catch (ArgumentException)
        {
            // Already registered (by the application or another library) with an equal type: nothing to do.
        }
    }
}
