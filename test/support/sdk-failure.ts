import type { LightsailServiceException } from '@aws-sdk/client-lightsail';

/** The exception an SDK call to Lightsail was refused with; a call that succeeds fails the test. */
export async function sdkFailure(promise: Promise<unknown>): Promise<LightsailServiceException> {
  try {
    await promise;
  } catch (error) {
    return error as LightsailServiceException;
  }
  throw new Error('expected the call to fail');
}
