namespace StxmPhase;

/// <summary>The stages of <see cref="PhaseMappingWorkflow"/>, in order.</summary>
public enum WorkflowStage
{
    /// <summary>Transmission → optical density and masks.</summary>
    Preprocessing = 0,

    /// <summary>Pearson correlation with the references.</summary>
    Correlation = 1,

    /// <summary>Training the latent encoder (GMVAE by default) on the spectra of all stacks.</summary>
    Training = 2,

    /// <summary>Encoding every valid spectrum into the latent space.</summary>
    Encoding = 3,

    /// <summary>Fitting the assigner and reassigning ambiguous pixels.</summary>
    Assignment = 4,

    /// <summary>Assembling results.</summary>
    Finishing = 5,
}
