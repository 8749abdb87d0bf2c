namespace Sr.MLNet;

/// <summary>A scalar column type whose raw type is an immutable value (numbers, booleans, text).</summary>
public abstract class PrimitiveDataViewType : DataViewType
{
    protected PrimitiveDataViewType(Type rawType) : base(rawType) { }
}
