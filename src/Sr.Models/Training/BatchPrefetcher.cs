using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Sr.Models.Training;

/// <summary>
/// Makes batches start, start+1, … on a background thread into a bounded queue, so patch cutting overlaps the
/// training step. A producer failure is rethrown by <see cref="Take"/>; disposing stops and joins the thread.
/// </summary>
public sealed class BatchPrefetcher : IDisposable
{
    private readonly BlockingCollection<PatchBatch> _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private ExceptionDispatchInfo? _failure;

    /// <param name="produce">Batch k from its index; called in index order on the background thread.</param>
    /// <param name="start">The first index to make (a resumed run starts at its checkpoint's position).</param>
    /// <param name="capacity">How many finished batches may wait (memory bound).</param>
    public BatchPrefetcher(Func<long, PatchBatch> produce, long start, int capacity = 4)
    {
        ArgumentNullException.ThrowIfNull(produce);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _queue = new BlockingCollection<PatchBatch>(capacity);
        NextIndex = start;
        _thread = new Thread(() => Run(produce, start)) { IsBackground = true, Name = "SrMlNet batch prefetcher" };
        _thread.Start();
    }

    /// <summary>The index of the next batch <see cref="Take"/> returns.</summary>
    public long NextIndex { get; private set; }

    private void Run(Func<long, PatchBatch> produce, long start)
    {
        try
        {
            for (long k = start; !_stop.IsCancellationRequested; k++) _queue.Add(produce(k), _stop.Token);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _failure = ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            _queue.CompleteAdding();
        }
    }

    /// <summary>The next batch in index order; throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires while waiting.</summary>
    public PatchBatch Take(CancellationToken cancellationToken = default)
    {
        if (_queue.TryTake(out var batch, Timeout.Infinite, cancellationToken))
        {
            NextIndex++;
            return batch;
        }
        _failure?.Throw();
        throw new InvalidOperationException("The batch prefetcher has stopped.");
    }

    /// <summary>
    /// The training loops' step boundary: why to stop before step <paramref name="step"/> (its bound, the time budget,
    /// cancellation, also while waiting for the batch), or null with the next batch in <paramref name="batch"/>.
    /// </summary>
    public TrainingStopReason? TakeUnlessStopped(long step, long? maxSteps, TimeSpan? budget, TimeSpan elapsed, CancellationToken cancellationToken, out PatchBatch batch)
    {
        batch = null!;
        if (maxSteps is long m && step >= m) return TrainingStopReason.StepsReached;
        if (budget is { } b && elapsed >= b) return TrainingStopReason.TimeBudgetSpent;
        if (cancellationToken.IsCancellationRequested) return TrainingStopReason.Cancelled;
        try
        {
            batch = Take(cancellationToken);
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return TrainingStopReason.Cancelled;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _queue.Dispose();
        _stop.Dispose();
    }
}
