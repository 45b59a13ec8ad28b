using Microsoft.Extensions.Options;

namespace Polyarch.Registry.Client;

/// <summary>The DataAnnotations of <see cref="RegistryOptions"/>, checked by generated (trimming-safe) code.</summary>
[OptionsValidator]
internal sealed partial class RegistryOptionsDataAnnotations : IValidateOptions<RegistryOptions>;
