// `TABS` registry: Plan & predict, Live mode, Course.
import type { ReactNode } from 'react';
import { PlanView } from './PlanView.tsx';
import { LiveTab } from './live/LiveTab.tsx';
import { CourseTab } from './course-view/CourseTab.tsx';
import { ValidateTab } from './validate/ValidateTab.tsx';
import { SweetSpotTab } from './sweet-spot/SweetSpotTab.tsx';

/**
 * The tab bar's registry. A new view (Live titration, Course with IndexedDB storage, …) is one entry
 * here plus its component; it reads and writes the scenario record through `useApp()` and may add
 * its own optional field to `Scenario`.
 */
export interface TabDefinition {
  readonly id: string;
  readonly label: string;
  readonly render: () => ReactNode;
}

export const TABS: readonly TabDefinition[] = [
  { id: 'plan', label: 'Plan & predict', render: () => <PlanView /> },
  { id: 'live', label: 'Live mode', render: () => <LiveTab /> },
  { id: 'course', label: 'Course', render: () => <CourseTab /> },
  { id: 'sweet-spot', label: 'Sweet spot', render: () => <SweetSpotTab /> },
  { id: 'validate', label: 'Validate', render: () => <ValidateTab /> },
];
