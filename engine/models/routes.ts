// Non-IV routes (intranasal, oral) each registry model has, by id, and their dose rules: read by parsePlan without loading the models.

/** A way into the body other than the vein. IV (`"iv"`) is the default and is the pump's route. */
export type Route = 'intranasal' | 'oral';

/** Every route a plan may name (`"iv"` is the default and may be written). */
export const ROUTES = ['iv', 'intranasal', 'oral'] as const;

/**
 * A route given in fixed devices: the dose is a whole number of devices, given one after another
 * `intervalMin` apart (the device rule of the model's source, used by the engine to apply a per-device
 * parameter such as Perez-Ruixo's reduced nasal fraction of later devices).
 */
export interface DeviceRule {
  /** Drug per device, mg. */
  readonly mgPerDevice: number;
  /** Time between the start of one device and the next, min. */
  readonly intervalMin: number;
  /** What the device is, for messages. */
  readonly device: string;
  /** Where the numbers come from. */
  readonly source: string;
}

/** What a plan may do with one route of one model. */
export interface RouteRule {
  /** What is given by this route (a dosage form), for messages and the model panel. */
  readonly form: string;
  /** Fixed devices, when the route's dose is counted in them; absent: any amount (mg) is accepted. */
  readonly device?: DeviceRule;
}

/**
 * The Spravato device as Perez-Ruixo 2021 modelled it: one 28-mg device = 2 sprays, devices 5 min apart
 * (Perez-Ruixo 2021 Table 4 set-up as transcribed in the nlmixr2lib vignette and recorded in
 * docs/models/ketamine-models.json "published_checks": "one 28-mg device = 2 sprays; devices 5 min apart").
 */
export const SPRAVATO_DEVICE: DeviceRule = {
  mgPerDevice: 28,
  intervalMin: 5,
  device: '28-mg nasal spray device (2 sprays)',
  source:
    'Perez-Ruixo 2021 (doses of 28-mg devices, 2 sprays each, 5 min apart; docs/models/ketamine-models.json published_checks)',
};

/**
 * Non-IV routes per registry model id. A model not listed has IV only. Kept apart from the model files,
 * without imports, so that validating a plan does not load the models; each model's record carries the
 * same routes with their parameters (`ModelDefinition.routes`, tested equal).
 */
export const MODEL_ROUTES: Readonly<Record<string, Readonly<Partial<Record<Route, RouteRule>>>>> = {
  'perez-ruixo-2021-esketamine': {
    intranasal: { form: 'esketamine nasal spray (Spravato), 28-mg devices', device: SPRAVATO_DEVICE },
    oral: { form: 'esketamine oral solution' },
  },
  'simons-2022-s-ketamine-arterial': {
    oral: { form: 'S-ketamine oral thin film (sublingual or buccal, held 10 min)' },
  },
};

/** Registry ids of the models that have `route`, in table order. */
export function modelsWithRoute(route: Route): string[] {
  return Object.keys(MODEL_ROUTES).filter((id) => MODEL_ROUTES[id][route] !== undefined);
}
