/** The product's standing statement (shown in the header, the footer and every PNG). */
export const DISCLAIMER =
  'KetaSim is a planning and teaching tool, not a medical device. Predictions are typical values of published models, not measurements of a patient.';

export function Disclaimer() {
  return (
    <p className="disclaimer" data-testid="disclaimer">
      <strong>A planning and teaching tool, not a medical device.</strong> Predictions are typical values of published population
      models, not measurements of this patient; check every dose against your protocol.
    </p>
  );
}
