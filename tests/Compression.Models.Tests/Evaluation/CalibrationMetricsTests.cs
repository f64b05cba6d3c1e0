using Compression.Models.Evaluation;

namespace Compression.Models.Tests.Evaluation;

public class CalibrationMetricsTests
{
    [Fact]
    public void Ece_mce_nll_and_brier_match_a_hand_computed_example()
    {
        // Two classes, logits chosen so softmax confidences are 0.9, 0.9, 0.6, 0.6 (ln 9 and ln 1.5 gaps).
        float g9 = (float)Math.Log(9), g15 = (float)Math.Log(1.5);
        float[] logits = [g9, 0, g9, 0, g15, 0, 0, g15];
        int[] labels = [0, 1, 0, 1];
        // Predictions: 0, 0, 0, 1. Correct: yes, no, yes, yes.
        // With 2 bins: (0, 0.5] empty; (0.5, 1] holds all four: mean confidence 0.75, accuracy 0.75 -> ECE 0.
        var two = CalibrationMetrics.Measure(logits, labels, 2, 1, 2);
        Assert.Equal(0, two.Ece, precision: 6);
        // With 10 bins: bin (0.5, 0.6] holds the two 0.6s (accuracy 1.0), bin (0.8, 0.9] the two 0.9s (accuracy 0.5).
        // ECE = 0.5 * |1 - 0.6| + 0.5 * |0.5 - 0.9| = 0.4; MCE = 0.4.
        var ten = CalibrationMetrics.Measure(logits, labels, 2, 1, 10);
        Assert.Equal(0.4, ten.Ece, precision: 6);
        Assert.Equal(0.4, ten.Mce, precision: 6);
        Assert.Equal(0.75, ten.Accuracy);
        // NLL = -(ln 0.9 + ln 0.1 + ln 0.6 + ln 0.6) / 4; Brier = (2*0.01 + 2*0.81 + 2*0.16 + 2*0.16) / 4.
        Assert.Equal(-(Math.Log(0.9) + Math.Log(0.1) + (2 * Math.Log(0.6))) / 4, ten.Nll, precision: 6);
        Assert.Equal(((2 * 0.01) + (2 * 0.81) + (2 * 0.16) + (2 * 0.16)) / 4, ten.Brier, precision: 6);
    }

    [Fact]
    public void A_higher_temperature_lowers_confidence()
    {
        float[] logits = [4, 0, 0, 4];
        var sharp = CalibrationMetrics.Measure(logits, [0, 1], 2, 1, 15);
        var soft = CalibrationMetrics.Measure(logits, [0, 1], 2, 4, 15);
        Assert.True(soft.Nll > sharp.Nll);
        Assert.Equal(sharp.Accuracy, soft.Accuracy);
    }
}
