namespace RedEducation.Geo;

/// <summary>The OSM highway class of a road, coarsened to what routing cares about.</summary>
public enum RoadClass : byte
{
    Motorway,
    Trunk,
    Primary,
    Secondary,
    Tertiary,
    Unclassified,
    Residential,
    Service,

    /// <summary>Any of the OSM <c>*_link</c> classes (slip roads, ramps).</summary>
    Link,
}

/// <summary>Which ways a road may be driven, relative to the order of its points.</summary>
public enum RoadDirection : byte
{
    Both,
    Forward,
    Backward,
}
