namespace Sr.MLNet;

/// <summary>The two halves of <see cref="DataOperationsCatalog.TrainTestSplit"/>.</summary>
public readonly record struct TrainTestData(IDataView TrainSet, IDataView TestSet);
